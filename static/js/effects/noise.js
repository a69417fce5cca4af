// Noise suppression for the microphone: RNNoise (WebAssembly, from the npm package
// @sapphi-red/web-noise-suppressor, vendored under static/vendor/) running in an AudioWorklet, so the
// audio thread does the work and the page's main thread never touches samples.
//
// `DenoisedMicrophone` stands between an SDK Microphone and the MediaStreams that publish it: it is
// a consumer of the microphone (onAudioBuffer) and a supplier to the streams (addAudioConsumer). It
// hands out the processed track while suppression is on and ready, else the microphone's own track;
// a switch changes the track in place, and the SDK's publication swaps it with replaceTrack.
// While the AudioContext cannot run yet (a browser that waits for a click), the raw track is used.

const VENDOR = new URL("../../vendor/web-noise-suppressor/dist/", import.meta.url);
const SAMPLE_RATE = 48000; // RNNoise works on 48 kHz frames of 480 samples

let loading = null;

/** The shared AudioContext with the RNNoise worklet registered and the wasm binary fetched. */
function loadRnnoise() {
  if (!loading) {
    loading = (async () => {
      const { RnnoiseWorkletNode, loadRnnoise: fetchBinary } = await import(new URL("index.js", VENDOR).href);
      const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: "interactive" });
      const [wasmBinary] = await Promise.all([
        fetchBinary({ url: new URL("rnnoise.wasm", VENDOR).href, simdUrl: new URL("rnnoise_simd.wasm", VENDOR).href }),
        context.audioWorklet.addModule(new URL("rnnoise/workletProcessor.js", VENDOR).href),
      ]);
      return { context, wasmBinary, RnnoiseWorkletNode };
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** Whether this browser can run the worklet at all (AudioWorklet and WebAssembly). */
export function noiseSuppressionSupported() {
  return typeof globalThis.AudioContext === "function" && typeof globalThis.AudioWorkletNode === "function"
    && typeof globalThis.WebAssembly === "object";
}

export class DenoisedMicrophone {
  constructor(microphone, { enabled = true, onState = () => {} } = {}) {
    this.microphone = microphone;
    this.enabled = enabled && noiseSuppressionSupported();
    this.onState = onState; // (state) "off" | "loading" | "on" | "unavailable"
    this.consumers = new Set();
    this.input = null; // the microphone's track
    this.graph = null; // { input, source, node, output } for the current input track
    this.state = "off";
    microphone.addAudioConsumer(this);
  }

  // --- the SDK's supplier interface (for MediaStream) ------------------------------------------

  addAudioConsumer(stream) { this.consumers.add(stream); stream.onAudioBuffer(this._buffer(), this); }
  removeAudioConsumer(stream) { this.consumers.delete(stream); stream.onAudioBuffer(null, this); }
  addVideoConsumer() {}
  removeVideoConsumer() {}

  // --- the SDK's consumer interface (from the Microphone) --------------------------------------

  onAudioBuffer(buffer) {
    const track = buffer ? buffer.track : null;
    if (track === this.input) return;
    this.input = track;
    this._teardown();
    if (track && this.enabled) this._build(track);
    this._publish();
  }

  /** The switch: on builds (or reuses) the graph, off goes back to the microphone's own track. */
  setEnabled(enabled) {
    enabled = Boolean(enabled) && noiseSuppressionSupported();
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    this._teardown();
    if (enabled && this.input) this._build(this.input);
    this._publish();
  }

  /** The track that is published now (processed, or the microphone's own). */
  outputTrack() {
    const buffer = this._buffer();
    return buffer ? buffer.track : null;
  }

  close() {
    this.microphone.removeAudioConsumer(this);
    this._teardown();
    this.consumers.clear();
  }

  _buffer() {
    if (!this.input) return null;
    const graph = this.graph;
    if (graph && graph.ready && graph.context.state === "running") return { track: graph.output };
    return { track: this.input };
  }

  _publish() {
    this._setState(!this.enabled ? "off" : this.graph && this.graph.ready ? "on" : this.graph ? "loading" : "off");
    const buffer = this._buffer();
    for (const stream of this.consumers) stream.onAudioBuffer(buffer, this);
  }

  _setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }

  async _build(track) {
    const graph = { input: track, ready: false, context: null, source: null, node: null, output: null };
    this.graph = graph;
    try {
      const { context, wasmBinary, RnnoiseWorkletNode } = await loadRnnoise();
      if (this.graph !== graph) return; // switched off or a new track meanwhile
      graph.context = context;
      graph.source = context.createMediaStreamSource(new MediaStream([track]));
      graph.node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary });
      const destination = context.createMediaStreamDestination();
      graph.source.connect(graph.node).connect(destination);
      graph.output = destination.stream.getAudioTracks()[0];
      graph.ready = true;
      if (context.state !== "running") {
        // Until the browser lets the context run (a click or key), the raw track keeps the person heard.
        const wake = () => context.resume().catch(() => {});
        document.addEventListener("pointerdown", wake, { once: true });
        document.addEventListener("keydown", wake, { once: true });
        context.addEventListener("statechange", () => { if (this.graph === graph) this._publish(); });
        wake();
      }
      this._publish();
    } catch (error) {
      console.warn("Noise suppression is not available in this browser:", error);
      if (this.graph === graph) this.graph = null;
      this.enabled = false;
      this._publish();
      this._setState("unavailable");
    }
  }

  _teardown() {
    const graph = this.graph;
    this.graph = null;
    if (!graph) return;
    try {
      if (graph.source) graph.source.disconnect();
      if (graph.node) {
        graph.node.disconnect();
        graph.node.destroy();
      }
      if (graph.output) graph.output.stop();
    } catch (error) {
      // already torn down by the browser
    }
  }
}
