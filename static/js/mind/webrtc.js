// Small WebRTC helpers shared by publications and the subscription.

/** Resolves when ICE gathering is complete, or after `timeout` ms (remaining candidates trickle). */
export function gatheringDone(pc, timeout = 1500) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeout);
    function finish() {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === "complete") finish();
    }
    pc.addEventListener("icegatheringstatechange", check);
  });
}

/** Candidate JSON for the `candidate` message (null = end of candidates). */
export function candidateJSON(candidate) {
  if (!candidate || !candidate.candidate) return null;
  return { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
}

/** Puts VP9 first among the transceiver's codecs when asked to (and when the browser can). */
export function preferVp9(transceiver) {
  const caps = globalThis.RTCRtpSender && globalThis.RTCRtpSender.getCapabilities
    ? globalThis.RTCRtpSender.getCapabilities("video") : null;
  if (!caps || typeof transceiver.setCodecPreferences !== "function") return;
  const vp9 = caps.codecs.filter((c) => /vp9/i.test(c.mimeType));
  if (!vp9.length) return;
  transceiver.setCodecPreferences([...vp9, ...caps.codecs.filter((c) => !/vp9/i.test(c.mimeType))]);
}

/** Send encodings for a camera or screen track: simulcast layers (adaptivity 2 or 3) or one. */
export function sendEncodings(buffer, limits = {}) {
  const bitrate = Math.min((buffer && buffer.bitrate) || 1000000, limits.maxVideoBitrate || Infinity);
  const adaptivity = Math.max(1, Math.min(3, (buffer && buffer.adaptivity) || 1));
  const maxFramerate = Number.isFinite(limits.maxVideoFrameRate) ? limits.maxVideoFrameRate : undefined;
  if (adaptivity === 1) {
    const encoding = { maxBitrate: Math.round(bitrate) };
    if (maxFramerate) encoding.maxFramerate = maxFramerate;
    return [encoding];
  }
  // Janus expects the rids highest quality first (h, m, l); each layer is half the size of the
  // one above, and the bitrate is split 16:4:1.
  const rids = adaptivity === 2 ? ["h", "l"] : ["h", "m", "l"];
  const weights = adaptivity === 2 ? [4, 1] : [16, 4, 1];
  const total = weights.reduce((a, b) => a + b, 0);
  return rids.map((rid, i) => {
    const encoding = { rid, scaleResolutionDownBy: 2 ** i, maxBitrate: Math.round((bitrate * weights[i]) / total) };
    if (maxFramerate) encoding.maxFramerate = maxFramerate;
    return encoding;
  });
}
