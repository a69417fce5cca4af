// `element.mediaStream = stream` on <video> and <audio>: the element plays the stream and follows
// its track changes. A <video> plays audio and video (a local stream: video only, muted, so you
// do not hear yourself); an <audio> plays audio only. Assigning null detaches the element.

class ElementSink {
  constructor(element) {
    this.element = element;
    this.stream = null;
  }

  attach(stream) {
    if (this.stream === stream) return;
    if (this.stream) this.stream.removeConsumer(this);
    this.stream = stream;
    if (stream) stream.addConsumer(this);
    this.render();
  }

  onMediaStreamChanged() {
    this.render();
  }

  render() {
    const element = this.element;
    const stream = this.stream;
    const isVideo = typeof HTMLVideoElement !== "undefined" && element instanceof HTMLVideoElement;
    if (!stream) {
      element.srcObject = null;
      return;
    }
    const wantAudio = !(isVideo && !stream.remote);
    const native = stream.toNativeMediaStream({ audio: wantAudio, video: isVideo });
    if (isVideo) {
      element.playsInline = true;
      element.autoplay = true;
      if (!stream.remote) element.muted = true;
    }
    element.srcObject = native;
    if (native && typeof element.play === "function") {
      const playing = element.play();
      if (playing && typeof playing.catch === "function") playing.catch(() => {}); // autoplay policy: the app may retry on a gesture
    }
  }
}

function define(prototype) {
  if (!prototype || Object.prototype.hasOwnProperty.call(prototype, "mediaStream")) return;
  Object.defineProperty(prototype, "mediaStream", {
    configurable: true,
    get() {
      return this.__mindSink ? this.__mindSink.stream : null;
    },
    set(stream) {
      if (!this.__mindSink) this.__mindSink = new ElementSink(this);
      this.__mindSink.attach(stream || null);
    },
  });
}

export function installElementProperties(scope = globalThis) {
  if (typeof scope.HTMLVideoElement === "function") define(scope.HTMLVideoElement.prototype);
  if (typeof scope.HTMLAudioElement === "function") define(scope.HTMLAudioElement.prototype);
}
