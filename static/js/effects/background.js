// Background blur and replacement for the camera. `BackgroundCamera` stands between an SDK Camera
// and the MediaStreams that show or publish it, like DenoisedMicrophone for the microphone: while an
// effect is chosen it hands out the processed track (a MediaStreamTrackGenerator fed by
// background_worker.js, which does the segmentation and compositing off the main thread), else
// the camera's own track; the SDK's publication swaps tracks with replaceTrack.
//
// When the browser lacks the needed APIs (MediaStreamTrackProcessor, transferable streams,
// OffscreenCanvas), or the worker cannot keep up (SLOW_MS per frame on average, twice in a row),
// the effect turns itself off and `onProblem` tells the person why.

export const EFFECTS = {
  none: { label: "No effect" },
  "blur-light": { label: "Slight blur", mode: "blur", radius: 4 },
  blur: { label: "Blur", mode: "blur", radius: 12 },
  "image-sky": { label: "Sky", mode: "image", url: "img/backgrounds/sky.svg" },
  "image-office": { label: "Office", mode: "image", url: "img/backgrounds/office.svg" },
  "image-forest": { label: "Forest", mode: "image", url: "img/backgrounds/forest.svg" },
};
const STATIC = new URL("../../", import.meta.url); // static/
const SLOW_MS = 125; // under 8 frames a second: the published video would stutter
const STRIKES = 2;

export function backgroundEffectsSupported() {
  return typeof globalThis.MediaStreamTrackProcessor === "function"
    && typeof globalThis.MediaStreamTrackGenerator === "function"
    && typeof globalThis.OffscreenCanvas === "function" && typeof globalThis.Worker === "function"
    && typeof globalThis.WebAssembly === "object";
}

/** An ImageBitmap of a bundled background (by URL) or of an uploaded file (a Blob). */
export async function loadBackgroundImage(source) {
  const blob = source instanceof Blob ? source : await (await fetch(new URL(source, STATIC))).blob();
  if (blob.type === "image/svg+xml") {
    // createImageBitmap does not take SVG blobs: go through an <img> with the camera's size.
    const url = URL.createObjectURL(blob);
    try {
      const img = new Image(1280, 720);
      img.src = url;
      await img.decode();
      return await createImageBitmap(img, { resizeWidth: 1280, resizeHeight: 720 });
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return createImageBitmap(blob);
}

export class BackgroundCamera {
  constructor(camera, { onState = () => {}, onProblem = () => {} } = {}) {
    this.camera = camera;
    this.onState = onState; // (state) "off" | "loading" | "on"
    this.onProblem = onProblem; // (message) the effect was turned off
    this.consumers = new Set();
    this.input = null; // the camera's buffer {track, width, height, ...}
    this.effect = null; // {mode, radius} | {mode: "image", image}
    this.pipeline = null;
    this.state = "off";
    camera.addVideoConsumer(this);
  }

  // --- the SDK's supplier interface ------------------------------------------------------------

  addVideoConsumer(stream) { this.consumers.add(stream); stream.onVideoBuffer(this._buffer(), this); }
  removeVideoConsumer(stream) { this.consumers.delete(stream); stream.onVideoBuffer(null, this); }
  addAudioConsumer() {}
  removeAudioConsumer() {}

  // --- the SDK's consumer interface (from the Camera) ------------------------------------------

  onVideoBuffer(buffer) {
    const track = buffer ? buffer.track : null;
    const changed = !this.input || track !== this.input.track;
    this.input = buffer;
    if (changed) {
      this._stop();
      if (track && this.effect) this._start();
    }
    this._publish();
  }

  /** `effect` null turns effects off; otherwise {mode: "blur", radius} or {mode: "image", image}. */
  setEffect(effect) {
    const had = Boolean(this.effect);
    this.effect = effect || null;
    if (!this.effect) {
      this._stop();
    } else if (!backgroundEffectsSupported()) {
      this.effect = null;
      this.onProblem("Background effects are not available in this browser.");
    } else if (had && this.pipeline) {
      this.pipeline.worker.postMessage({ type: "effect", effect: this.effect });
      return;
    } else if (this.input && this.input.track) {
      this._start();
    }
    this._publish();
  }

  close() {
    this.camera.removeVideoConsumer(this);
    this._stop();
    this.consumers.clear();
  }

  _buffer() {
    if (!this.input) return null;
    if (this.pipeline && this.pipeline.ready) return { ...this.input, track: this.pipeline.output };
    return this.input;
  }

  _publish() {
    const state = this.pipeline ? (this.pipeline.ready ? "on" : "loading") : "off";
    if (state !== this.state) {
      this.state = state;
      this.onState(state);
    }
    const buffer = this._buffer();
    for (const stream of this.consumers) stream.onVideoBuffer(buffer, this);
  }

  _start() {
    const track = this.input.track;
    const source = track.clone(); // stopped with the pipeline; the camera's own track stays the camera's
    const processor = new MediaStreamTrackProcessor({ track: source, maxBufferSize: 1 });
    const generator = new MediaStreamTrackGenerator({ kind: "video" });
    const worker = new Worker(new URL("./background_worker.js", import.meta.url)); // classic: MediaPipe uses importScripts
    const pipeline = { worker, source, output: generator, ready: false, strikes: 0 };
    this.pipeline = pipeline;
    worker.onmessage = (event) => this._message(pipeline, event.data);
    worker.onerror = (event) => this._message(pipeline, { type: "error", message: event.message || "worker failed" });
    worker.postMessage({ type: "start", readable: processor.readable, writable: generator.writable, effect: this.effect },
                       [processor.readable, generator.writable]);
  }

  _message(pipeline, message) {
    if (this.pipeline !== pipeline) return;
    if (message.type === "ready") {
      pipeline.ready = true;
      this._publish();
    } else if (message.type === "stats") {
      pipeline.msPerFrame = message.msPerFrame;
      pipeline.strikes = message.msPerFrame > SLOW_MS ? pipeline.strikes + 1 : 0;
      if (pipeline.strikes >= STRIKES) {
        this._turnOff("Your device is too slow for background effects right now, so they were turned off.");
      }
    } else if (message.type === "error") {
      console.warn("Background effects failed:", message.message);
      this._turnOff("Background effects could not start in this browser, so they were turned off.");
    }
  }

  _turnOff(problem) {
    this.effect = null;
    this._stop();
    this._publish();
    this.onProblem(problem);
  }

  _stop() {
    const pipeline = this.pipeline;
    this.pipeline = null;
    if (!pipeline) return;
    pipeline.worker.postMessage({ type: "stop" });
    pipeline.worker.terminate();
    pipeline.source.stop();
    pipeline.output.stop();
  }
}
