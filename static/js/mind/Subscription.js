// The subscription: one PeerConnection that answers the server's offers and carries every other
// participant's streams. Each offer lists its active streams by mid ({mid, kind, participantId,
// media}); mids not listed are inactive (Janus may reuse them later for someone else).

import { candidateJSON, gatheringDone } from "./webrtc.js";

/**
 * Maps an offer's stream list onto the PeerConnection's receivers.
 * Returns Map("<participantId>:<media>" -> {participantId, media, audio, video}) where audio/video
 * are {mid, track, receiver} or null. Pure: `transceivers` may be any [{mid, receiver: {track}}].
 */
export function assignStreams(streams, transceivers) {
  const byMid = new Map();
  for (const transceiver of transceivers) if (transceiver.mid != null) byMid.set(String(transceiver.mid), transceiver);
  const result = new Map();
  for (const stream of streams || []) {
    if (stream.kind !== "audio" && stream.kind !== "video") continue;
    const media = stream.media === "secondary" ? "secondary" : "primary";
    const key = `${stream.participantId}:${media}`;
    let entry = result.get(key);
    if (!entry) {
      entry = { participantId: stream.participantId, media, audio: null, video: null };
      result.set(key, entry);
    }
    const transceiver = byMid.get(String(stream.mid));
    entry[stream.kind] = transceiver
      ? { mid: String(stream.mid), track: transceiver.receiver.track, receiver: transceiver.receiver }
      : null;
  }
  return result;
}

export class Subscription {
  constructor(session) {
    this.session = session;
    this.pc = null;
    this.streams = [];
    this.assignment = new Map();
    this._queue = Promise.resolve();
    this._answerSent = false;
  }

  onOffer(message) {
    this._queue = this._queue.then(() => this._answer(message)).catch((error) => {
      if (typeof console !== "undefined") console.warn("MindSDK: answering the subscription offer failed", error);
    });
    return this._queue;
  }

  async _answer({ sdp, streams, fresh }) {
    const session = this.session;
    if (fresh && this.pc) this._closePeerConnection(); // a new subscription on the server's side
    if (!this.pc) this._create();
    const pc = this.pc;
    this._answerSent = false;
    await pc.setRemoteDescription({ type: "offer", sdp });
    const transform = session.options.frameTransform;
    if (transform) {
      for (const transceiver of pc.getTransceivers()) {
        const receiver = transceiver.receiver;
        if (receiver && receiver.track) transform.receiver(receiver, receiver.track.kind, String(transceiver.mid));
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringDone(pc);
    if (this.pc !== pc) return;
    this._answerSent = true;
    session._send({ type: "answer", sdp: pc.localDescription.sdp });
    this.streams = streams || [];
    this.assignment = assignStreams(this.streams, pc.getTransceivers());
    if (transform) transform.streams(this.assignment);
    session._remoteStreamsChanged(this.assignment);
  }

  _create() {
    const session = this.session;
    const pc = new globalThis.RTCPeerConnection(session.options.peerConnectionConfig());
    pc.addEventListener("icecandidate", (event) => {
      if (this.pc === pc && this._answerSent) {
        session._send({ type: "candidate", target: "subscription", candidate: candidateJSON(event.candidate) });
      }
    });
    this.pc = pc;
  }

  /** The mid of a participant's stream, e.g. to choose its simulcast layer with `configure`. */
  midOf(participantId, media, kind) {
    const entry = this.assignment.get(`${participantId}:${media}`);
    return entry && entry[kind] ? entry[kind].mid : null;
  }

  /** The PeerConnection is dead on the server's side: drop it (a fresh offer will come). */
  reset() {
    this._closePeerConnection();
    this.session._remoteStreamsChanged(this.assignment);
  }

  _closePeerConnection() {
    const pc = this.pc;
    this.pc = null;
    this.streams = [];
    this.assignment = new Map();
    if (pc) {
      try { pc.close(); } catch (error) { /* already closed */ }
    }
  }
}
