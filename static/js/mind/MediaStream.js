// MediaStream: at most one audio and one video track, local (fed by suppliers: Microphone,
// Camera, Screen) or remote (fed by the session's subscription). Consumers (HTML elements through
// the `mediaStream` property, publications) are told when a track appears, changes or goes.

import { MediaStreamAudioStatistics, MediaStreamVideoStatistics } from "./statistics.js";

export class MediaStream {
  constructor(label, audioSupplier = null, videoSupplier = null) {
    this.label = label; // "local", or "<participantId>:primary|secondary"
    this.remote = label !== "local";
    this._audioSupplier = audioSupplier;
    this._videoSupplier = videoSupplier;
    this._audio = null; // MediaStreamTrack
    this._video = null;
    this._videoBuffer = null;
    this._consumers = new Set();
    this._audioStatistics = new MediaStreamAudioStatistics();
    this._videoStatistics = new MediaStreamVideoStatistics();
    this._audioLevelSource = null; // () => 0..1, set by whoever carries the audio (extension)
    this.maxVideoFrameArea = Infinity;
    this.maxVideoFrameRate = Infinity;
    this.maxVideoBitrate = Infinity;
    if (audioSupplier) audioSupplier.addAudioConsumer(this);
    if (videoSupplier) videoSupplier.addVideoConsumer(this);
  }

  // --- supplier side (MediaStreamAudioConsumer / MediaStreamVideoConsumer) -------------------------

  onAudioBuffer(audioBuffer, supplier) {
    this._setTrack("audio", audioBuffer ? audioBuffer.track : null);
  }

  onVideoBuffer(videoBuffer, supplier) {
    this._videoBuffer = videoBuffer;
    this._setTrack("video", videoBuffer ? videoBuffer.track : null);
  }

  _setTrack(kind, track) {
    const field = kind === "audio" ? "_audio" : "_video";
    if (this[field] === track) return;
    this[field] = track || null;
    for (const consumer of Array.from(this._consumers)) {
      try {
        consumer.onMediaStreamChanged(this, kind);
      } catch (error) {
        if (typeof console !== "undefined") console.error("MindSDK: a media stream consumer failed", error);
      }
    }
  }

  // --- consumers ------------------------------------------------------------------------------------

  addConsumer(consumer) {
    this._consumers.add(consumer);
  }

  removeConsumer(consumer) {
    this._consumers.delete(consumer);
  }

  /** Extension: the current tracks, for code that needs the native objects. */
  getAudioTrack() { return this._audio; }
  getVideoTrack() { return this._video; }
  hasAudio() { return Boolean(this._audio); }
  hasVideo() { return Boolean(this._video); }

  /** Extension: a native (browser) MediaStream of the current tracks, or null when there are none. */
  toNativeMediaStream({ audio = true, video = true } = {}) {
    const tracks = [audio && this._audio, video && this._video].filter(Boolean);
    if (!tracks.length || typeof globalThis.MediaStream !== "function") return null;
    return new globalThis.MediaStream(tracks);
  }

  // --- limits (the SDK's API; applied by publications and kept for the remote side) ----------------

  getMaxVideoFrameArea() { return this.maxVideoFrameArea; }
  setMaxVideoFrameArea(area) {
    if (!(area > 0)) throw new Error("The max video frame area must be positive");
    this.maxVideoFrameArea = area;
    this._limitsChanged();
  }
  getMaxVideoFrameRate() { return this.maxVideoFrameRate; }
  setMaxVideoFrameRate(rate) {
    if (!(rate > 0)) throw new Error("The max video frame rate must be positive");
    this.maxVideoFrameRate = rate;
    this._limitsChanged();
  }
  getMaxVideoBitrate() { return this.maxVideoBitrate; }
  setMaxVideoBitrate(bitrate) {
    if (!(bitrate > 0)) throw new Error("The max video bitrate must be positive");
    this.maxVideoBitrate = bitrate;
    this._limitsChanged();
  }
  _limitsChanged() {
    for (const consumer of this._consumers) {
      if (typeof consumer.onMediaStreamLimitsChanged === "function") consumer.onMediaStreamLimitsChanged(this);
    }
  }

  // --- statistics ----------------------------------------------------------------------------------

  getAudioStatistics() { return this._audioStatistics; }
  getVideoStatistics() { return this._videoStatistics; }
  _setStatistics(kind, statistics) {
    if (kind === "audio") this._audioStatistics = statistics;
    else this._videoStatistics = statistics;
  }
  _clearStatistics() {
    this._audioStatistics = new MediaStreamAudioStatistics();
    this._videoStatistics = new MediaStreamVideoStatistics();
  }

  /**
   * Extension: the audio level 0..1 right now (for active-speaker detection). Remote streams read it
   * from the receiver's synchronization sources, local ones from the last statistics sample.
   */
  getAudioLevel() {
    if (!this._audio) return 0;
    if (this._audioLevelSource) {
      const level = this._audioLevelSource();
      if (level != null) return level;
    }
    return (this._audioStatistics.level || 0) / 100;
  }
}
