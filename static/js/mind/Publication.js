// One publishing PeerConnection per media ("primary": camera + microphone, "secondary": screen).
//
// It follows its MediaStream: a new track of a kind already sent is swapped in with
// RTCRtpSender.replaceTrack (no renegotiation); a kind appearing or going flips its transceiver
// between sendonly and inactive and re-sends `publish` with the new offer (the server then updates
// the participant's media flags); no track at all, or no stream, unpublishes. Work is serialised.
// Janus may reject an inactive m-line (port 0; it does in a first offer), which stops its
// transceiver for good: a kind coming back on a rejected m-line needs a new PeerConnection
// (unpublish, then publish afresh).

import { mayPublish } from "./enums.js";
import { candidateJSON, gatheringDone, preferVp9, sendEncodings } from "./webrtc.js";

const KINDS = ["audio", "video"];

const isStopped = (transceiver) => transceiver.currentDirection === "stopped" || transceiver.stopped === true;

export class Publication {
  constructor(session, media) {
    this.session = session;
    this.media = media;
    this.stream = null;
    this.pc = null;
    this.transceivers = null; // {audio, video}
    this.published = false;
    this.blocked = null; // "forbidden" | "role": the server will not take it until the role changes
    this._queue = Promise.resolve();
    this._offerSent = false;
    this._encodingsKey = null;
    this._unpublishFirst = false;
  }

  setStream(stream) {
    if (this.stream === stream) return this.sync();
    if (this.stream) this.stream.removeConsumer(this);
    this.stream = stream;
    if (stream) stream.addConsumer(this);
    return this.sync();
  }

  onMediaStreamChanged() { this.sync(); }
  onMediaStreamLimitsChanged() { this.sync(); }

  /** What I send, computed locally (as the official SDK does): a track and a role that may send it. */
  isSending(kind) {
    const track = this._track(kind);
    return Boolean(track && !this.blocked && mayPublish(this.session._myRole(), this.media));
  }

  _track(kind) {
    if (!this.stream) return null;
    return kind === "audio" ? this.stream.getAudioTrack() : this.stream.getVideoTrack();
  }

  sync() {
    this._queue = this._queue.then(() => this._sync()).catch((error) => {
      if (typeof console !== "undefined") console.warn(`MindSDK: ${this.media} publication failed`, error);
      this._close();
      this.session._retryPublicationLater(this);
    });
    return this._queue;
  }

  /** The server stopped this publication (`unpublished`): "role" waits for a role change; "hangup" retries. */
  stoppedByServer(reason) {
    this._close();
    if (reason === "role") this.blocked = "role";
    this.sync();
  }

  /** The PeerConnection is dead on the server's side (mediaReset, a new server session). */
  reset() {
    this._close();
    this.blocked = null;
  }

  roleChanged() {
    this.blocked = null;
    this.sync();
  }

  close() {
    if (this.stream) this.stream.removeConsumer(this);
    this.stream = null;
    this._close();
  }

  _close() {
    const pc = this.pc;
    this.pc = null;
    this.transceivers = null;
    this.published = false;
    this._encodingsKey = null;
    if (pc) {
      try { pc.close(); } catch (error) { /* already closed */ }
    }
    if (this.stream) this.stream._clearStatistics();
  }

  async _sync() {
    const session = this.session;
    const want = { audio: this._track("audio"), video: this._track("video") };
    const allowed = mayPublish(session._myRole(), this.media) && !this.blocked;
    if ((!want.audio && !want.video) || !allowed || session._closed) {
      if (this.pc) {
        const wasPublished = this.published;
        this._close();
        if (wasPublished && session._isConnected()) {
          await session._request({ type: "unpublish", media: this.media }).catch(() => {});
        }
      }
      return;
    }
    if (!session._isMediaReady()) return; // synced again on welcome / republish
    if (!this.pc) {
      if (this._unpublishFirst) {
        // A failed attempt may have left a publication on the server that a new PeerConnection
        // cannot renegotiate (other DTLS identity): clear it first.
        this._unpublishFirst = false;
        await session._request({ type: "unpublish", media: this.media }).catch(() => {});
      }
      this._create(want);
      await this._replaceTracks(want);
      await this._negotiate();
      return;
    }
    if (KINDS.some((kind) => want[kind] && isStopped(this.transceivers[kind]))) {
      this._close();
      this._unpublishFirst = true;
      await this._sync();
      return;
    }
    let renegotiate = !this.published;
    for (const kind of KINDS) {
      const transceiver = this.transceivers[kind];
      const direction = want[kind] ? "sendonly" : "inactive";
      if (!isStopped(transceiver) && transceiver.direction !== direction) {
        transceiver.direction = direction;
        renegotiate = true;
      }
    }
    await this._replaceTracks(want);
    await this._applyEncodings();
    if (renegotiate) await this._negotiate();
  }

  _create(want) {
    const session = this.session;
    const pc = new globalThis.RTCPeerConnection(session.options.peerConnectionConfig());
    this.pc = pc;
    this._offerSent = false;
    pc.addEventListener("connectionstatechange", () => {
      if (this.pc === pc && pc.connectionState === "failed") {
        this._close();
        this._unpublishFirst = true;
        this.sync();
      }
    });
    pc.addEventListener("icecandidate", (event) => {
      // Candidates found before the offer went out are in its SDP; later ones trickle.
      if (this.pc === pc && this._offerSent) {
        session._send({ type: "candidate", target: this.media, candidate: candidateJSON(event.candidate) });
      }
    });
    const buffer = this.stream && this.stream._videoBuffer;
    const audio = pc.addTransceiver("audio", { direction: want.audio ? "sendonly" : "inactive" });
    const video = pc.addTransceiver("video", {
      direction: want.video ? "sendonly" : "inactive",
      sendEncodings: sendEncodings(buffer, this.stream || {}),
    });
    const transform = session.options.frameTransform;
    if (transform) {
      // Before negotiation: encoded frames pass through the transform from the first one.
      transform.sender(audio.sender, "audio");
      transform.sender(video.sender, "video");
      transform.preferCodecs(video);
    } else if (session._useVp9()) {
      preferVp9(video);
    }
    this._encodingsKey = this._encodingKey();
    this.transceivers = { audio, video };
  }

  _encodingKey() {
    const buffer = this.stream && this.stream._videoBuffer;
    return JSON.stringify(sendEncodings(buffer, this.stream || {}).map((e) => [e.maxBitrate, e.maxFramerate]));
  }

  async _applyEncodings() {
    // Bitrate and frame-rate limits change without renegotiation (setParameters).
    const key = this._encodingKey();
    if (key === this._encodingsKey || !this.transceivers || isStopped(this.transceivers.video)) return;
    this._encodingsKey = key;
    const sender = this.transceivers.video.sender;
    const params = sender.getParameters();
    if (!params.encodings || !params.encodings.length) return;
    const wanted = sendEncodings(this.stream && this.stream._videoBuffer, this.stream || {});
    params.encodings.forEach((encoding, i) => {
      const target = wanted[Math.min(i, wanted.length - 1)];
      encoding.maxBitrate = target.maxBitrate;
      if (target.maxFramerate) encoding.maxFramerate = target.maxFramerate;
    });
    await sender.setParameters(params);
  }

  async _replaceTracks(want) {
    for (const kind of KINDS) {
      const sender = this.transceivers[kind].sender;
      if (sender.track !== want[kind]) await sender.replaceTrack(want[kind]);
    }
  }

  async _negotiate() {
    const pc = this.pc;
    const session = this.session;
    this._offerSent = false;
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await gatheringDone(pc);
    if (this.pc !== pc) return;
    this._offerSent = true;
    const reply = await session._request({ type: "publish", media: this.media, sdp: pc.localDescription.sdp },
                                         { renegotiation: true });
    if (this.pc !== pc) return;
    if (reply.type === "answer") {
      await pc.setRemoteDescription({ type: "answer", sdp: reply.sdp });
      this.published = true;
      return;
    }
    this._close();
    if (reply.code === "forbidden") {
      this.blocked = "forbidden";
      return;
    }
    if (reply.code === "media-unavailable") return; // `republish` will bring us back
    throw new Error(`publish ${this.media}: ${reply.code}: ${reply.message}`);
  }
}
