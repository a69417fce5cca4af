// Statistics objects of the public API, and the pure parsing of RTCPeerConnection.getStats()
// reports into them (so it can be unit-tested with plain objects).

function fmt(obj) {
  return Object.entries(obj).map(([k, v]) => `${k}=${v}`).join(", ");
}

export class SessionStatistics {
  constructor({ timestamp = Date.now(), protocol = "none", localAddress = "", localPort = 0,
                remoteAddress = "", remotePort = 0, rtt = 0, availableOutgoingBitrate = 0 } = {}) {
    Object.assign(this, { timestamp, protocol, localAddress, localPort, remoteAddress, remotePort, rtt,
                          availableOutgoingBitrate });
  }
  getTimestamp() { return this.timestamp; }
  getProtocol() { return this.protocol; }
  getLocalAddress() { return this.localAddress; }
  getLocalPort() { return this.localPort; }
  getRemoteAddress() { return this.remoteAddress; }
  getRemotePort() { return this.remotePort; }
  /** Extension: the transport's current round-trip time (ms). */
  getRtt() { return this.rtt; }
  toString() { return `SessionStatistics(${fmt(this)})`; }
}

class StreamStatistics {
  constructor(fields = {}) {
    this.timestamp = fields.timestamp ?? Date.now();
    this.rtt = fields.rtt ?? 0;
    this.bitrate = fields.bitrate ?? 0;
    this.delay = fields.delay ?? 0;
    this.losses = fields.losses ?? 0;
    this.jitter = fields.jitter ?? 0;
    this.rate = fields.rate ?? 0;
  }
  getTimestamp() { return this.timestamp; }
  getRtt() { return this.rtt; }
  getBitrate() { return this.bitrate; }
  getDelay() { return this.delay; }
  getLosses() { return this.losses; }
  getRate() { return this.rate; }
  /** Extension: interarrival jitter (ms). */
  getJitter() { return this.jitter; }
}

export class MediaStreamAudioStatistics extends StreamStatistics {
  constructor(fields = {}) {
    super(fields);
    this.level = fields.level ?? 0;
  }
  getLevel() { return this.level; }
  toString() { return `MediaStreamAudioStatistics(${fmt(this)})`; }
}

export class MediaStreamVideoStatistics extends StreamStatistics {
  constructor(fields = {}) {
    super(fields);
    this.width = fields.width ?? 0;
    this.height = fields.height ?? 0;
  }
  getWidth() { return this.width; }
  getHeight() { return this.height; }
  toString() { return `MediaStreamVideoStatistics(${fmt(this)})`; }
}

// --- parsing ------------------------------------------------------------------------------------

export function statsList(report) {
  if (!report) return [];
  if (typeof report.values === "function") return Array.from(report.values());
  return Array.isArray(report) ? report : Object.values(report);
}

function index(list) {
  const byId = new Map();
  for (const stat of list) byId.set(stat.id, stat);
  return byId;
}

/** The selected ICE candidate pair and its two candidates, or nulls. */
export function selectedPair(list) {
  const byId = index(list);
  let pair = null;
  for (const stat of list) {
    if (stat.type === "transport" && stat.selectedCandidatePairId) pair = byId.get(stat.selectedCandidatePairId) || pair;
  }
  if (!pair) {
    pair = list.find((s) => s.type === "candidate-pair" && s.state === "succeeded" && (s.nominated || s.selected)) || null;
  }
  return {
    pair,
    local: pair ? byId.get(pair.localCandidateId) || null : null,
    remote: pair ? byId.get(pair.remoteCandidateId) || null : null,
  };
}

export function parseSessionStatistics(report, now = Date.now()) {
  const { pair, local, remote } = selectedPair(statsList(report));
  if (!pair) return new SessionStatistics({ timestamp: now });
  return new SessionStatistics({
    timestamp: now,
    protocol: (local && (local.relayProtocol || local.protocol)) || "none",
    localAddress: (local && (local.address || local.ip)) || "",
    localPort: (local && local.port) || 0,
    remoteAddress: (remote && (remote.address || remote.ip)) || "",
    remotePort: (remote && remote.port) || 0,
    rtt: pair.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : 0,
    availableOutgoingBitrate: Math.round(pair.availableOutgoingBitrate || 0),
  });
}

function rate(current, previous, field, seconds) {
  if (!previous || seconds <= 0 || current[field] == null || previous[field] == null) return 0;
  return Math.max(0, (current[field] - previous[field]) / seconds);
}

function lossPercent(lost, received, prevLost, prevReceived) {
  const dLost = Math.max(0, (lost ?? 0) - (prevLost ?? 0));
  const dReceived = Math.max(0, (received ?? 0) - (prevReceived ?? 0));
  const total = dLost + dReceived;
  return total > 0 ? Math.round((1000 * dLost) / total) / 10 : 0;
}

/**
 * Statistics per RTP stream of one PeerConnection's report.
 *
 * Returns {transport: SessionStatistics fields, streams: Map(key -> {kind, direction, mid, stats})}
 * where key is `${direction}:${mid || kind}` and stats is a Media…Statistics object. `previous` is
 * the raw list of the previous sample (rates are computed from the difference).
 */
export function parseRtpStatistics(report, previous = null, now = Date.now()) {
  const list = statsList(report);
  const byId = index(list);
  const before = previous ? index(statsList(previous)) : new Map();
  const { pair } = selectedPair(list);
  const transportRtt = pair && pair.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : 0;
  const streams = new Map();
  for (const stat of list) {
    if (stat.type !== "inbound-rtp" && stat.type !== "outbound-rtp") continue;
    const kind = stat.kind || stat.mediaType;
    if (kind !== "audio" && kind !== "video") continue;
    const old = before.get(stat.id);
    const seconds = old ? (stat.timestamp - old.timestamp) / 1000 : 0;
    const fields = { timestamp: now };
    if (stat.type === "inbound-rtp") {
      fields.bitrate = Math.round(8 * rate(stat, old, "bytesReceived", seconds));
      fields.losses = old ? lossPercent(stat.packetsLost, stat.packetsReceived, old.packetsLost, old.packetsReceived)
                          : lossPercent(stat.packetsLost, stat.packetsReceived, 0, 0);
      fields.jitter = Math.round((stat.jitter || 0) * 1000);
      fields.rtt = transportRtt;
      const emitted = (stat.jitterBufferEmittedCount || 0) - ((old && old.jitterBufferEmittedCount) || 0);
      const delay = (stat.jitterBufferDelay || 0) - ((old && old.jitterBufferDelay) || 0);
      fields.delay = emitted > 0 ? Math.round((1000 * delay) / emitted) : 0;
      if (kind === "audio") {
        fields.level = Math.round(100 * (stat.audioLevel || 0));
        fields.rate = Math.round(rate(stat, old, "totalSamplesReceived", seconds));
      } else {
        fields.width = stat.frameWidth || 0;
        fields.height = stat.frameHeight || 0;
        fields.rate = Math.round(stat.framesPerSecond ?? rate(stat, old, "framesDecoded", seconds));
      }
    } else {
      fields.bitrate = Math.round(8 * rate(stat, old, "bytesSent", seconds));
      const remote = stat.remoteId ? byId.get(stat.remoteId) : null;
      if (remote) {
        fields.rtt = remote.roundTripTime != null ? Math.round(remote.roundTripTime * 1000) : transportRtt;
        fields.losses = remote.fractionLost != null ? Math.round(1000 * remote.fractionLost) / 10 : 0;
        fields.jitter = Math.round((remote.jitter || 0) * 1000);
      } else {
        fields.rtt = transportRtt;
      }
      const source = stat.mediaSourceId ? byId.get(stat.mediaSourceId) : null;
      if (kind === "audio") {
        fields.level = Math.round(100 * ((source && source.audioLevel) || 0));
        // Outbound stats carry no sample rate: Opus always runs at 48 kHz while packets flow.
        fields.rate = old && stat.packetsSent > (old.packetsSent || 0) ? 48000 : 0;
      } else {
        fields.width = stat.frameWidth || 0;
        fields.height = stat.frameHeight || 0;
        fields.rate = Math.round(stat.framesPerSecond ?? rate(stat, old, "framesEncoded", seconds));
      }
    }
    const direction = stat.type === "inbound-rtp" ? "in" : "out";
    const key = `${direction}:${stat.mid != null ? stat.mid : kind}`;
    const stats = kind === "audio" ? new MediaStreamAudioStatistics(fields) : new MediaStreamVideoStatistics(fields);
    // Simulcast sends several outbound-rtp per track: keep the largest active layer.
    const existing = streams.get(key);
    if (existing && kind === "video" && direction === "out") {
      existing.stats.bitrate += stats.bitrate;
      if (stats.width * stats.height > existing.stats.width * existing.stats.height) {
        Object.assign(existing.stats, { width: stats.width, height: stats.height, rate: stats.rate });
      }
      continue;
    }
    streams.set(key, { kind, direction, mid: stat.mid ?? null, trackIdentifier: stat.trackIdentifier ?? null, stats });
  }
  return { transport: parseSessionStatistics(list, now), streams };
}

/** What the quality sample says about the person's device (docs/qos.md): the OS family as Zoom's
 *  `device`, the OS, the browser as `version`, and the network type where the browser tells it
 *  (Network Information API: Chromium on Android and ChromeOS; elsewhere "Unknown"). */
export function clientInfo(nav = globalThis.navigator) {
  const ua = String((nav && nav.userAgent) || "");
  const osMatch = [
    [/Windows NT ([\d.]+)/, "Windows", (v) => `Windows NT ${v}`],
    [/(?:iPhone|iPad|iPod).* OS ([\d_]+)/, "iOS", (v) => `iOS ${v.replaceAll("_", ".")}`],
    [/Mac OS X ([\d_.]+)/, "Mac", (v) => `macOS ${v.replaceAll("_", ".")}`],
    [/Android ([\d.]+)/, "Android", (v) => `Android ${v}`],
    [/CrOS/, "Chrome OS", () => "Chrome OS"],
    [/Linux/, "Linux", () => "Linux"],
  ];
  let device = "Web";
  let os = "";
  for (const [pattern, family, name] of osMatch) {
    const found = ua.match(pattern);
    if (found) { device = family; os = name(found[1] || ""); break; }
  }
  const browser = [[/Edg\/([\d.]+)/, "Edge"], [/OPR\/([\d.]+)/, "Opera"], [/Firefox\/([\d.]+)/, "Firefox"],
                   [/(?:Chrome|CriOS)\/([\d.]+)/, "Chrome"], [/Version\/([\d.]+).*Safari/, "Safari"]]
    .map(([pattern, name]) => { const m = ua.match(pattern); return m ? `${name} ${m[1]}` : null; })
    .find(Boolean) || "";
  const kinds = { wifi: "Wifi", ethernet: "Wired", cellular: "Cellular", bluetooth: "Others", wimax: "Others", other: "Others" };
  const connection = nav && nav.connection;
  const network = (connection && kinds[connection.type]) || "Unknown";
  return { device, os: os.slice(0, 64), version: browser.slice(0, 64), network_type: network };
}
