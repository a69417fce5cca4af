// Options of MindSDK.initialize and MindSDK.join.

export class MindSDKOptions {
  constructor() {
    this.useVp9ForSendingVideo = false;
  }
  setUseVp9ForSendingVideo(value) { this.useVp9ForSendingVideo = Boolean(value); }
}

export class SessionOptions {
  constructor() {
    this.useVp9ForSendingVideo = undefined; // undefined: the global MindSDKOptions value
    this.stunServer = null;
    this.turnServer = null;
    // Extensions: intervals of the statistics sampler and of the keepalive ping, in ms.
    this.statisticsInterval = 1000;
    this.pingInterval = 10000;
    // Extension: how often the latest sample goes to the server for quality monitoring (0: never).
    this.qualityReportInterval = 5000;
    // Extension: end-to-end encryption of the media frames (the room's static/js/e2ee/); null: none.
    this.frameTransform = null;
  }
  setUseVp9ForSendingVideo(value) { this.useVp9ForSendingVideo = Boolean(value); }
  setStunServer(url) { this.stunServer = url ? { urls: url } : null; }
  setTurnServer(url, username, password) { this.turnServer = url ? { urls: url, username, credential: password } : null; }
  /** Extension: how often getStats() is sampled (ms). */
  setStatisticsInterval(ms) { this.statisticsInterval = Math.max(100, Number(ms) || 1000); }
  /** Extension: how often the quality sample is reported to the server (ms; 0 turns it off; at least 5000). */
  setQualityReportInterval(ms) { this.qualityReportInterval = Number(ms) > 0 ? Math.max(5000, Number(ms)) : 0; }
  /**
   * Extension: `transform` sees every sender and receiver before media flows, to encrypt and decrypt
   * encoded frames: {peerConnectionConfig() -> extra RTCConfiguration, sender(sender, kind),
   * receiver(receiver, kind, mid), streams(assignment) (see Subscription's assignStreams),
   * preferCodecs(videoTransceiver)}.
   */
  setFrameTransform(transform) { this.frameTransform = transform || null; }

  peerConnectionConfig() {
    const extra = this.frameTransform ? this.frameTransform.peerConnectionConfig() : {};
    return { iceServers: this.iceServers(), bundlePolicy: "max-bundle", ...extra };
  }

  iceServers() {
    return [this.stunServer, this.turnServer].filter(Boolean);
  }
}
