// Media sources: DeviceRegistry, Camera, Microphone, Screen. A source supplies a track to the
// MediaStreams that consume it (MediaStream.onAudioBuffer / onVideoBuffer) while acquired.

import { CameraFacing } from "./enums.js";
import { notify } from "./listeners.js";

function mediaDevices() {
  const devices = globalThis.navigator && globalThis.navigator.mediaDevices;
  if (!devices) throw new Error("Media devices are not available (a secure context is required)");
  return devices;
}

class Supplier {
  constructor() {
    this._audioConsumers = new Set();
    this._videoConsumers = new Set();
    this._listener = null;
    this._acquiring = null;
  }
  setListener(listener) { this._listener = listener || null; }
  addAudioConsumer(stream) { this._audioConsumers.add(stream); stream.onAudioBuffer(this._audioBuffer(), this); }
  removeAudioConsumer(stream) { this._audioConsumers.delete(stream); stream.onAudioBuffer(null, this); }
  addVideoConsumer(stream) { this._videoConsumers.add(stream); stream.onVideoBuffer(this._videoBuffer(), this); }
  removeVideoConsumer(stream) { this._videoConsumers.delete(stream); stream.onVideoBuffer(null, this); }
  _audioBuffer() { return null; }
  _videoBuffer() { return null; }
  _publishAudio() { for (const s of this._audioConsumers) s.onAudioBuffer(this._audioBuffer(), this); }
  _publishVideo() { for (const s of this._videoConsumers) s.onVideoBuffer(this._videoBuffer(), this); }
  _watch(track, onEnded) {
    // `ended` fires when the device is unplugged, permission is revoked, or the browser's own
    // "stop sharing" button is used; never for our own track.stop().
    track.addEventListener("ended", () => onEnded(track));
  }
  _checkNotAcquiring() {
    if (this._acquiring) throw new Error("Can't release while an acquire is in progress");
  }
}

/** A camera or a microphone: one track from getUserMedia. Subclasses open the track (`_openTrack`),
 * hand it to their consumers (`_publish`) and name the listener callback for a lost device. */
class DeviceSupplier extends Supplier {
  isAcquired() { return Boolean(this._track); }
  async acquire() {
    if (this._track) return;
    if (this._acquiring) return this._acquiring;
    this._acquiring = (async () => {
      const track = await this._openTrack();
      this._track = track;
      this._watch(track, (ended) => {
        if (this._track !== ended) return;
        this._track = null;
        this._publish();
        notify(this._listener, this._releasedForcibly, this);
      });
      this._publish();
      this._registry._refreshSoon();
    })();
    try {
      await this._acquiring;
    } finally {
      this._acquiring = null;
    }
  }
  release() {
    this._checkNotAcquiring();
    const track = this._track;
    if (!track) return;
    this._track = null;
    track.stop();
    this._publish();
  }
}

export class Camera extends DeviceSupplier {
  constructor(registry, id, label) {
    super();
    this._registry = registry;
    this.id = id;
    this.label = label;
    this.facing = CameraFacing.USER;
    this.width = 640;
    this.height = 360;
    this.fps = 30;
    this.bitrate = 1000000;
    this.adaptivity = 1;
    this._track = null;
    this._releasedForcibly = "onCameraReleasedForcibly";
  }
  getId() { return this.id; }
  getLabel() { return this.label; }
  setFacing(facing) {
    if (!Object.values(CameraFacing).includes(facing)) throw new Error(`Unknown camera facing: ${facing}`);
    this.facing = facing;
    return this._reacquire();
  }
  setResolution(width, height) {
    this.width = width;
    this.height = height;
    if (this._track && typeof this._track.applyConstraints === "function") {
      return this._track.applyConstraints({ width: { ideal: width }, height: { ideal: height } }).then(() => this._publishVideo());
    }
    return Promise.resolve();
  }
  setFps(fps) {
    this.fps = fps;
    if (this._track && typeof this._track.applyConstraints === "function") {
      return this._track.applyConstraints({ frameRate: { ideal: fps } });
    }
    return Promise.resolve();
  }
  setBitrate(bitrate) {
    if (!(bitrate > 100000)) throw new Error("The bitrate must be greater than 100000");
    this.bitrate = bitrate;
    this._publishVideo();
  }
  setAdaptivity(adaptivity) {
    if (![1, 2, 3].includes(adaptivity)) throw new Error("The adaptivity must be 1, 2 or 3");
    this.adaptivity = adaptivity;
    this._publishVideo();
  }
  _constraints() {
    const video = { width: { ideal: this.width }, height: { ideal: this.height }, frameRate: { ideal: this.fps } };
    if (this.id !== "default") video.deviceId = { exact: this.id };
    else video.facingMode = this.facing;
    return { video, audio: false };
  }
  _videoBuffer() {
    return this._track ? { track: this._track, width: this.width, height: this.height, bitrate: this.bitrate,
                           adaptivity: this.adaptivity, scale: 1, contentHint: "motion" } : null;
  }
  async _openTrack() {
    const stream = await mediaDevices().getUserMedia(this._constraints());
    return stream.getVideoTracks()[0];
  }
  _publish() { this._publishVideo(); }
  async _reacquire() {
    if (!this._track) return;
    const old = this._track;
    this._track = null;
    old.stop();
    await this.acquire(); // consumers see the new track: publications use replaceTrack
  }
}

export class Microphone extends DeviceSupplier {
  constructor(registry, id, label) {
    super();
    this._registry = registry;
    this.id = id;
    this.label = label;
    this.noiseSuppression = false;
    this.muted = false;
    this._track = null;
    this._releasedForcibly = "onMicrophoneReleasedForcibly";
  }
  getId() { return this.id; }
  getLabel() { return this.label; }
  setNoiseSuppression(value) {
    // The browser's own noise suppression is always on; this asks for its strongest setting.
    this.noiseSuppression = Boolean(value);
  }
  setMuted(muted) {
    this.muted = Boolean(muted);
    if (this._track) this._track.enabled = !this.muted;
  }
  isMuted() { return this.muted; }
  _audioBuffer() { return this._track ? { track: this._track } : null; }
  async _openTrack() {
    const audio = { echoCancellation: true, autoGainControl: true, noiseSuppression: true };
    if (this.id !== "default") audio.deviceId = { exact: this.id };
    const stream = await mediaDevices().getUserMedia({ audio, video: false });
    const track = stream.getAudioTracks()[0];
    track.enabled = !this.muted;
    return track;
  }
  _publish() { this._publishAudio(); }
}

export class Screen extends Supplier {
  constructor() {
    super();
    this.audioCapturing = false;
    this.fps = 30;
    this.bitrate = 1000000;
    this._video = null;
    this._audio = null;
  }
  setAudioCapturing(value) {
    if (this._video) throw new Error("Audio capturing can be changed only while the screen is not acquired");
    this.audioCapturing = Boolean(value);
  }
  setFps(fps) { this.fps = fps; }
  setBitrate(bitrate) {
    if (!(bitrate > 100000)) throw new Error("The bitrate must be greater than 100000");
    this.bitrate = bitrate;
  }
  _audioBuffer() { return this._audio ? { track: this._audio } : null; }
  _videoBuffer() {
    return this._video ? { track: this._video, width: 0, height: 0, bitrate: this.bitrate, adaptivity: 1, scale: 1,
                           contentHint: "text" } : null;
  }
  isAcquired() { return Boolean(this._video); }
  async acquire() {
    if (this._video) return;
    if (this._acquiring) return this._acquiring;
    this._acquiring = (async () => {
      const stream = await mediaDevices().getDisplayMedia({ video: { frameRate: { ideal: this.fps } },
                                                            audio: this.audioCapturing });
      this._adopt(stream);
    })();
    try {
      await this._acquiring;
    } finally {
      this._acquiring = null;
    }
  }
  /** Extension: share an existing native MediaStream (e.g. canvas.captureStream()) as the screen. */
  acquireFrom(nativeStream) {
    this.release();
    this._adopt(nativeStream);
  }
  _adopt(stream) {
    const video = stream.getVideoTracks()[0] || null;
    if (!video) throw new Error("The screen capture has no video track");
    if ("contentHint" in video) video.contentHint = "text";
    this._video = video;
    this._audio = stream.getAudioTracks()[0] || null;
    this._watch(video, (ended) => {
      if (this._video !== ended) return;
      this._stopAll();
      notify(this._listener, "onScreenReleasedForcibly", this);
    });
    this._publishVideo();
    this._publishAudio();
  }
  _stopAll() {
    const tracks = [this._video, this._audio].filter(Boolean);
    this._video = null;
    this._audio = null;
    for (const track of tracks) track.stop();
    this._publishVideo();
    this._publishAudio();
  }
  release() {
    this._checkNotAcquiring();
    if (this._video || this._audio) this._stopAll();
  }
}

export class DeviceRegistry {
  constructor() {
    this._cameras = new Map([["default", new Camera(this, "default", "Default Camera")]]);
    this._microphones = new Map([["default", new Microphone(this, "default", "Default Microphone")]]);
    const devices = globalThis.navigator && globalThis.navigator.mediaDevices;
    this._screen = devices && typeof devices.getDisplayMedia === "function" ? new Screen() : null;
    this._listener = null;
    this._refreshTimer = null;
    if (devices && typeof devices.addEventListener === "function") {
      devices.addEventListener("devicechange", () => this.refresh());
    }
  }
  getCameras() { return Array.from(this._cameras.values()); }
  getMicrophones() { return Array.from(this._microphones.values()); }
  getScreen() { return this._screen; }
  setListener(listener) { this._listener = listener || null; }

  /** Re-reads the device lists; device objects keep their identity across refreshes. */
  async refresh() {
    const devices = globalThis.navigator && globalThis.navigator.mediaDevices;
    if (!devices || typeof devices.enumerateDevices !== "function") return;
    const list = await devices.enumerateDevices();
    const changed = this._merge(this._cameras, list.filter((d) => d.kind === "videoinput"), Camera)
      | this._merge(this._microphones, list.filter((d) => d.kind === "audioinput"), Microphone);
    if (changed) notify(this._listener, "onDeviceRegistryChanged");
  }

  _merge(map, infos, Kind) {
    let changed = false;
    const seen = new Set(["default"]);
    for (const info of infos) {
      if (!info.deviceId || info.deviceId === "default") continue; // labels come only with permission
      seen.add(info.deviceId);
      const existing = map.get(info.deviceId);
      if (!existing) {
        map.set(info.deviceId, new Kind(this, info.deviceId, info.label || ""));
        changed = true;
      } else if (info.label && existing.label !== info.label) {
        existing.label = info.label;
        changed = true;
      }
    }
    for (const id of Array.from(map.keys())) {
      if (!seen.has(id)) {
        map.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  _refreshSoon() {
    if (this._refreshTimer) return;
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      this.refresh().catch(() => {});
    }, 0);
  }
}
