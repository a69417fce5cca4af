// Background blur and replacement, off the main thread: a (classic) worker that reads the camera's
// VideoFrames (a transferred ReadableStream from MediaStreamTrackProcessor), finds the person with
// MediaPipe's selfie segmentation (@mediapipe/selfie_segmentation: its WebAssembly runtime and its
// model, vendored under static/vendor/), composites the person over a blurred copy of the frame or
// over an image on an OffscreenCanvas, and writes the result to a transferred WritableStream (a
// MediaStreamTrackGenerator: the track that gets published).
//
// The MediaPipe solution was written for pages: it loads its parts with <script> tags and draws on
// a <canvas>. The few DOM calls it makes are answered below with their worker equivalents
// (importScripts, OffscreenCanvas), so the work stays off the page's thread.
//
// Messages in:  {type: "start", readable, writable, effect}   {type: "effect", effect}   {type: "stop"}
//   effect = {mode: "blur", radius} | {mode: "image", image: ImageBitmap}
// Messages out: {type: "ready"}  {type: "stats", msPerFrame, frames}  {type: "error", message}

const VENDOR = new URL("../../vendor/selfie-segmentation/", self.location.href).href;
const STATS_EVERY = 30; // frames

// --- the page APIs MediaPipe's loader expects -----------------------------------------------------
self.window = self;
self.alert = (message) => { throw new Error(message); };
self.document = {
  currentScript: null,
  createElement(tag) {
    if (tag === "canvas") return new OffscreenCanvas(1, 1);
    if (tag === "script") {
      return { attributes: {}, listeners: {}, setAttribute(name, value) { this.attributes[name] = value; },
               addEventListener(type, listener) { this.listeners[type] = listener; } };
    }
    throw new Error(`background worker: no <${tag}> here`);
  },
  body: {
    appendChild(script) {
      try {
        importScripts(script.attributes.src);
      } catch (error) {
        if (script.listeners.error) script.listeners.error(error);
        return;
      }
      if (script.listeners.load) script.listeners.load();
    },
  },
  addEventListener() {},
  querySelector() { return null; },
  getElementById() { return null; },
};

let segmenter = null;
let effect = { mode: "blur", radius: 8 };
let stopped = false;
let latestMask = null; // the mask from the last segmentation (ImageBitmap or canvas)

async function createSegmenter() {
  importScripts(`${VENDOR}selfie_segmentation.js`);
  const solution = new self.SelfieSegmentation({ locateFile: (file) => `${VENDOR}${file}` });
  // modelSelection 1: the landscape model (144x256), made for 16:9 video calls and the cheaper one.
  solution.setOptions({ modelSelection: 1, selfieMode: false });
  solution.onResults((results) => { latestMask = results.segmentationMask; });
  await solution.initialize();
  return solution;
}

class Compositor {
  constructor() {
    this.canvas = new OffscreenCanvas(2, 2);
    this.context = this.canvas.getContext("2d");
  }

  /** The frame with its background blurred or replaced (a new VideoFrame; the caller closes both). */
  async process(frame) {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const bitmap = await createImageBitmap(frame);
    try {
      await segmenter.send({ image: bitmap });
    } finally {
      bitmap.close();
    }
    const ctx = this.context;
    ctx.save();
    // The person: the mask (its alpha is the confidence; scaled smoothly, so edges are soft), then
    // the frame kept only inside it.
    ctx.globalCompositeOperation = "copy";
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(latestMask, 0, 0, width, height);
    ctx.globalCompositeOperation = "source-in";
    ctx.drawImage(frame, 0, 0, width, height);
    // Behind it: a blurred copy of the frame, or the chosen image (cover-fitted).
    ctx.globalCompositeOperation = "destination-over";
    if (effect.mode === "image" && effect.image) {
      const image = effect.image;
      const scale = Math.max(width / image.width, height / image.height);
      const w = image.width * scale;
      const h = image.height * scale;
      ctx.drawImage(image, (width - w) / 2, (height - h) / 2, w, h);
    } else {
      const radius = effect.radius || 8;
      ctx.filter = `blur(${radius}px)`;
      const pad = radius * 2; // drawn a little larger, so the blur does not darken the edges
      ctx.drawImage(frame, -pad, -pad, width + 2 * pad, height + 2 * pad);
    }
    ctx.restore();
    return new VideoFrame(this.canvas, { timestamp: frame.timestamp });
  }
}

async function run(readable, writable) {
  const reader = readable.getReader();
  const writer = writable.getWriter();
  const compositor = new Compositor();
  let spent = 0;
  let frames = 0;
  try {
    while (!stopped) {
      const { value: frame, done } = await reader.read();
      if (done) break;
      const started = performance.now();
      let output;
      try {
        output = await compositor.process(frame);
      } finally {
        frame.close();
      }
      await writer.write(output); // the generator takes ownership of the frame
      spent += performance.now() - started;
      frames += 1;
      if (frames % STATS_EVERY === 0) {
        postMessage({ type: "stats", msPerFrame: spent / STATS_EVERY, frames });
        spent = 0;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
    writer.close().catch(() => {});
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "effect") {
    effect = message.effect;
  } else if (message.type === "stop") {
    stopped = true;
  } else if (message.type === "start") {
    effect = message.effect;
    try {
      segmenter = segmenter || await createSegmenter();
      postMessage({ type: "ready" });
      await run(message.readable, message.writable);
    } catch (error) {
      postMessage({ type: "error", message: String((error && error.message) || error) });
    }
  }
};
