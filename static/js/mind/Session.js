// Session: one participation in a conference over the engine's participant socket
// (docs/mind-protocol.md), plus REST calls with the participant token.
//
// State machine: NORMAL while the socket is up; LAGGING while a publish renegotiation has waited
// more than 10 s for its answer; FAILED while the socket is down and being re-opened with backoff,
// resuming the server session (`&session=<id>`) so the participant never shows as offline. A
// resume that the server refuses (grace period over) starts a new server session: every
// PeerConnection is re-made. Close codes 4000/4001/4002 end the session for good.

import { SessionState } from "./enums.js";
import { dispatch } from "./listeners.js";
import { SessionOptions } from "./options.js";
import { Conference, Me, applyNotification } from "./participants.js";
import { Publication } from "./Publication.js";
import { rest } from "./rest.js";
import { clientInfo, parseRtpStatistics, SessionStatistics } from "./statistics.js";
import { clearResume, loadResume, saveResume } from "./storage.js";
import { Subscription } from "./Subscription.js";
import { Backoff } from "./backoff.js";
import { parseConferenceURI, sessionSocketURL } from "./uri.js";

export const CLOSE_CONFERENCE_ENDED = 4000;
export const CLOSE_EXPELLED = 4001;
export const CLOSE_REPLACED = 4002;
export const LAG_AFTER_MS = 10000;
const REQUEST_TIMEOUT_MS = 30000;
const PUBLICATION_RETRY_MS = 2000;

let sessionCounter = 0;

/** Which listener callback a close code means (null: reconnect). */
export function closeOutcome(code, leaving = false) {
  if (code === CLOSE_CONFERENCE_ENDED) return "onConferenceEnded";
  if (code === CLOSE_EXPELLED) return "onMeExpelled";
  if (code === CLOSE_REPLACED) return "onSessionEndedElsewhere";
  if (leaving) return "left";
  return null;
}

export class Session {
  constructor(conferenceURI, token, options = null, sdkOptions = null) {
    this.id = ++sessionCounter;
    this._uri = parseConferenceURI(conferenceURI);
    this.applicationId = this._uri.applicationId;
    this.conferenceId = this._uri.conferenceId;
    this.restURL = this._uri.restURL;
    this.token = token;
    this.options = options || new SessionOptions();
    this._sdkOptions = sdkOptions || {};
    this._state = SessionState.NORMAL;
    this._listener = null;
    this._ws = null;
    this._serverSessionId = null;
    this._closed = false;
    this._leaving = false;
    this._connected = false;
    this._mediaReady = false;
    this._restarting = false; // a reloaded page asked the server to drop its old PeerConnections
    this._ready = false; // the snapshot is loaded: notifications apply directly
    this._backlog = [];
    this._pending = new Map();
    this._nextRequestId = 0;
    this._lagging = 0;
    this._lagAfter = LAG_AFTER_MS;
    this._backoff = new Backoff();
    this._timers = new Set();
    this._statistics = new SessionStatistics();
    this._qos = null;
    this._lastReports = new Map(); // pc -> previous getStats() report
    this._layers = new Map(); // subscription mid -> the simulcast layer Janus forwards now
    this._conference = null;
    this._me = null;
    this._publications = { primary: new Publication(this, "primary"), secondary: new Publication(this, "secondary") };
    this._subscription = new Subscription(this);
  }

  // --- public API ---------------------------------------------------------------------------------

  getId() { return this.id; }
  getState() { return this._state; }
  getStatistics() { return this._statistics; }
  getConference() { return this._conference; }
  setListener(listener) { this._listener = listener || null; }

  /** Extension: the latest quality-of-service sample (transport + every stream), or null before the first. */
  getQualitySample() { return this._qos; }
  /** Extension: the server's session id (what a reconnect resumes). */
  getServerSessionId() { return this._serverSessionId; }
  /** Extension: ask the server for a simulcast layer (0..2) of a participant's video. */
  setVideoLayer(participant, media = "primary", substream = 0, temporal = undefined) {
    const mid = this._subscription.midOf(participant.getId(), media, "video");
    if (mid == null) return Promise.reject(new Error("That participant's video is not being received"));
    const message = { type: "configure", mid, substream };
    if (temporal !== undefined) message.temporal = temporal;
    return this._request(message);
  }

  /** Extension: the simulcast layer Janus last reported forwarding for that video ({substream, temporal}), or null. */
  getVideoLayer(participant, media = "primary") {
    const mid = this._subscription.midOf(participant.getId(), media, "video");
    return mid == null ? null : this._layers.get(String(mid)) || null;
  }

  // --- joining ------------------------------------------------------------------------------------

  async _join() {
    const saved = loadResume(this.conferenceId, this.token);
    let welcome;
    try {
      welcome = await this._connect(saved && saved.sessionId);
    } catch (error) {
      this._shutdown();
      throw new Error(`Joining the conference failed (the server refused the session: ${error.code || "no answer"})`);
    }
    try {
      await this._loadSnapshot(false);
    } catch (error) {
      this._exit();
      throw error;
    }
    this._ready = true;
    this._flushBacklog();
    this._startTimers();
    if (welcome.resumed) {
      // A reloaded page resumed its old session: the server still holds the old page's
      // PeerConnections. Ask it to drop them; publishing and the subscription start afresh.
      this._restart();
    }
    return this;
  }

  /** Opens the socket; resolves with the welcome (handled synchronously before any later message). */
  _connect(resumeId) {
    return new Promise((resolve, reject) => {
      const ws = new globalThis.WebSocket(sessionSocketURL(this._uri, this.token, resumeId));
      this._ws = ws;
      let welcomed = false;
      ws.onmessage = (event) => {
        if (this._ws !== ws) return;
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (!welcomed) {
          if (message && message.type === "welcome") {
            welcomed = true;
            this._onWelcome(message);
            resolve(message);
          }
          return;
        }
        this._onMessage(message);
      };
      ws.onclose = (event) => {
        if (this._ws !== ws) return;
        this._socketGone();
        if (!welcomed) {
          const error = new Error(`the session socket closed (${event.code})`);
          error.code = event.code;
          reject(error);
          return;
        }
        this._onSocketClosed(event.code);
      };
    });
  }

  _onWelcome(welcome) {
    const resumed = Boolean(welcome.resumed);
    const newServerSession = this._serverSessionId !== null && !resumed;
    this._connected = true;
    this._backoff.reset();
    this._serverSessionId = welcome.sessionId;
    if (!this._me) {
      this._me = new Me(this, welcome.participant);
      this._conference = new Conference(this, welcome.conference, this._me);
    } else {
      this._me._update(welcome.participant || {});
    }
    saveResume(this.conferenceId, this.token, this._me.id, welcome.sessionId);
    if (newServerSession) {
      // The grace period is over (or another web process answered): nothing of ours is left on the
      // server, so every PeerConnection is re-made and we publish again.
      for (const publication of Object.values(this._publications)) publication.reset();
      this._subscription.reset();
    }
    this._mediaReady = Boolean(welcome.mediaReady);
    if (this._state !== SessionState.NORMAL) this._setState(SessionState.NORMAL);
  }

  // --- messages from the server -------------------------------------------------------------------

  _onMessage(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "mediaRestarted") this._restarting = false; // the next offer is the fresh one
    if (message.id != null && this._pending.has(String(message.id))) {
      const pending = this._pending.get(String(message.id));
      this._pending.delete(String(message.id));
      pending.resolve(message);
      return;
    }
    switch (message.type) {
      case "offer":
        if (!this._restarting) this._subscription.onOffer(message);
        break;
      case "created":
      case "updated":
      case "deleted":
        if (this._ready) this._applyNotification(message);
        else this._backlog.push(message);
        break;
      case "unpublished": {
        const publication = this._publications[message.media];
        if (publication) {
          publication.stoppedByServer(message.reason);
          dispatch(this._listener, "onMePublicationStopped", this._me, message.media, message.reason);
        }
        break;
      }
      case "mediaReset":
        this._mediaReady = false;
        for (const publication of Object.values(this._publications)) publication.reset();
        this._subscription.reset();
        break;
      case "republish":
        this._mediaReady = true;
        this._syncPublications();
        break;
      case "error":
        if (typeof console !== "undefined") console.warn("MindSDK: the server reported an error", message);
        break;
      case "layer":
        if (message.mid != null) {
          // Janus reports substream and temporal changes in separate events: keep the other one.
          const previous = this._layers.get(String(message.mid)) || { substream: null, temporal: null };
          this._layers.set(String(message.mid), { substream: message.substream ?? previous.substream,
                                                  temporal: message.temporal ?? previous.temporal });
        }
        break;
      default:
        break; // future messages
    }
  }

  _applyNotification(note) {
    const calls = applyNotification(this._conference, note, this.applicationId);
    this._dispatchCalls(calls);
  }

  _dispatchCalls(calls) {
    for (const [name, ...args] of calls) {
      if (name.startsWith("_")) continue; // the close code that follows ends the session
      if (name === "onMeRoleChanged") {
        for (const publication of Object.values(this._publications)) publication.roleChanged();
      }
      dispatch(this._listener, name, ...args);
    }
  }

  _flushBacklog() {
    const backlog = this._backlog;
    this._backlog = [];
    for (const note of backlog) this._applyNotification(note);
  }

  /** Loads the conference and its participants over REST; with `diff`, reports what changed meanwhile. */
  async _loadSnapshot(diff) {
    const json = await this._rest("GET", "?detailed=true");
    const conference = this._conference;
    const calls = [];
    const { participants = [], transcription, ...rest } = json || {};
    calls.push(...applyNotification(conference, { type: "updated", location: "/", resource: rest }, this.applicationId));
    if (transcription) {
      const before = conference.isTranscribing();
      conference._transcription = { ...conference._transcription, ...transcription };
      if (conference.isTranscribing() !== before) {
        calls.push(["onConferenceTranscription", conference, transcription, "/transcription"]);
      }
    }
    const seen = new Set();
    for (const participant of participants) {
      seen.add(participant.id);
      calls.push(...applyNotification(conference, { type: "updated", location: `/participants/${participant.id}`,
                                                    resource: participant }, this.applicationId));
    }
    for (const id of Array.from(conference._participants.keys())) {
      if (!seen.has(id)) {
        calls.push(...applyNotification(conference, { type: "deleted", location: `/participants/${id}`, resource: null },
                                        this.applicationId));
      }
    }
    if (diff) this._dispatchCalls(calls);
  }

  // --- requests -----------------------------------------------------------------------------------

  _isConnected() { return this._connected && this._ws && this._ws.readyState === 1; }
  _isMediaReady() { return this._isConnected() && this._mediaReady && !this._restarting; }
  _myRole() { return this._me ? this._me.getRole() : "attendee"; }
  _useVp9() {
    return this.options.useVp9ForSendingVideo ?? Boolean(this._sdkOptions.useVp9ForSendingVideo);
  }

  _send(message) {
    if (!this._isConnected()) return false;
    this._ws.send(JSON.stringify(message));
    return true;
  }

  /** Sends a request with an id; resolves with the reply (an `error` reply resolves too). */
  _request(message, { renegotiation = false, timeout = REQUEST_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      const id = `c${++this._nextRequestId}`;
      if (!this._send({ ...message, id })) {
        reject(new Error("the session is not connected"));
        return;
      }
      let lagged = false;
      const lagTimer = renegotiation ? setTimeout(() => {
        lagged = true;
        this._lagging += 1;
        this._setState(SessionState.LAGGING);
      }, this._lagAfter) : null;
      const timer = setTimeout(() => finish(null, new Error(`no reply to ${message.type}`)), timeout);
      const finish = (reply, error) => {
        clearTimeout(timer);
        if (lagTimer) clearTimeout(lagTimer);
        this._pending.delete(id);
        if (lagged) {
          this._lagging -= 1;
          if (this._lagging === 0 && this._state === SessionState.LAGGING) this._setState(SessionState.NORMAL);
        }
        if (error) reject(error);
        else resolve(reply);
      };
      this._pending.set(id, { resolve: (reply) => finish(reply, null), reject: (error) => finish(null, error) });
    });
  }

  _rest(method, path = "", body = undefined) {
    return rest(this.restURL, this.token, method, path, body);
  }

  _sendMessage(sendTo, text) {
    return this._rest("POST", "/messages", { sendTo, text: String(text) }).then(() => undefined);
  }

  // --- media --------------------------------------------------------------------------------------

  _publication(media) { return this._publications[media]; }

  _syncPublications() {
    for (const publication of Object.values(this._publications)) publication.sync();
  }

  _retryPublicationLater(publication) {
    publication._unpublishFirst = true; // the server may have taken the last offer before we lost the reply
    this._later(() => publication.sync(), PUBLICATION_RETRY_MS);
  }

  async _restart() {
    this._restarting = true;
    this._subscription.reset();
    try {
      const reply = await this._request({ type: "restartMedia" });
      if (reply.type === "error") throw new Error(reply.message);
    } catch (error) {
      if (typeof console !== "undefined") console.warn("MindSDK: restarting the media failed", error);
    } finally {
      this._restarting = false;
    }
    this._syncPublications();
  }

  /** The subscription's streams changed: hand each participant's stream its tracks. */
  _remoteStreamsChanged(assignment) {
    const conference = this._conference;
    if (!conference) return;
    for (const entry of assignment.values()) conference._participant(entry.participantId);
    for (const participant of conference._participants.values()) {
      for (const media of ["primary", "secondary"]) {
        const entry = assignment.get(`${participant.id}:${media}`);
        const stream = media === "primary" ? participant._primary : participant._secondary;
        const audio = entry && entry.audio;
        stream._audioLevelSource = audio ? () => receiverLevel(audio.receiver) : null;
        stream._setTrack("audio", audio ? audio.track : null);
        stream._setTrack("video", entry && entry.video ? entry.video.track : null);
        if (!entry) stream._clearStatistics();
      }
    }
  }

  // --- statistics ---------------------------------------------------------------------------------

  async _sample() {
    const now = Date.now();
    const sample = { timestamp: now, state: this._state, transport: null, outgoing: {}, incoming: [] };
    let transport = null;
    for (const publication of Object.values(this._publications)) {
      const pc = publication.pc;
      if (!pc || !publication.stream) continue;
      const parsed = await this._parsedStats(pc, now);
      if (!parsed) continue;
      if (!transport && parsed.transport.protocol !== "none") transport = parsed.transport;
      const outgoing = {};
      for (const entry of parsed.streams.values()) {
        if (entry.direction !== "out" || !publication.stream) continue;
        publication.stream._setStatistics(entry.kind, entry.stats);
        outgoing[entry.kind] = { ...entry.stats };
      }
      sample.outgoing[publication.media] = outgoing;
    }
    const pc = this._subscription.pc;
    if (pc) {
      const parsed = await this._parsedStats(pc, now);
      if (parsed) {
        if (!transport && parsed.transport.protocol !== "none") transport = parsed.transport;
        const byMid = new Map();
        for (const entry of this._subscription.assignment.values()) {
          for (const kind of ["audio", "video"]) if (entry[kind]) byMid.set(entry[kind].mid, { ...entry, kind });
        }
        for (const entry of parsed.streams.values()) {
          if (entry.direction !== "in") continue;
          const owner = byMid.get(String(entry.mid));
          if (!owner) continue;
          const participant = this._conference._participants.get(owner.participantId);
          if (participant) {
            const stream = owner.media === "primary" ? participant._primary : participant._secondary;
            stream._setStatistics(entry.kind, entry.stats);
          }
          sample.incoming.push({ participantId: owner.participantId, media: owner.media, kind: entry.kind, ...entry.stats });
        }
      }
    }
    this._statistics = transport || new SessionStatistics({ timestamp: now });
    sample.transport = { ...this._statistics };
    this._qos = sample;
  }

  async _parsedStats(pc, now) {
    let report;
    try {
      report = await pc.getStats();
    } catch (error) {
      return null; // closed meanwhile
    }
    const previous = this._lastReports.get(pc) || null;
    this._lastReports = new Map([...this._lastReports].filter(([known]) => known.connectionState !== "closed"));
    this._lastReports.set(pc, report);
    return parseRtpStatistics(report, previous, now);
  }

  // --- connection upkeep --------------------------------------------------------------------------

  _startTimers() {
    this._every(() => this._sample().catch(() => {}), this.options.statisticsInterval);
    if (this.options.qualityReportInterval > 0) this._every(() => this._reportQuality(), this.options.qualityReportInterval);
    this._every(() => {
      if (!this._isConnected()) return;
      const ws = this._ws;
      this._request({ type: "ping" }, { timeout: this.options.pingInterval }).catch(() => {
        if (this._ws === ws && !this._closed) this._dropSocket(); // a dead socket never closes by itself
      });
    }, this.options.pingInterval);
  }

  /** Sends the latest statistics sample to the server (the `qosSample` message; docs/qos.md). */
  _reportQuality() {
    const sample = this._qos;
    if (!sample || !this._isConnected() || sample === this._lastReported) return;
    this._lastReported = sample;
    // packetsLost may fall (duplicates, reordering): a negative loss is no loss, not a refused sample.
    const clean = (stats) => ({ ...stats, losses: Math.min(100, Math.max(0, Number(stats.losses) || 0)) });
    const outgoing = {};
    for (const [media, kinds] of Object.entries(sample.outgoing)) {
      outgoing[media] = Object.fromEntries(Object.entries(kinds).map(([kind, stats]) => [kind, clean(stats)]));
    }
    this._send({ type: "qosSample", sample: {
      timestamp: sample.timestamp, transport: { protocol: sample.transport ? sample.transport.protocol : "none" },
      outgoing, incoming: sample.incoming.map(clean), client: clientInfo() } });
  }

  _every(fn, ms) {
    const timer = setInterval(fn, ms);
    this._timers.add({ timer, interval: true });
  }

  _later(fn, ms) {
    const entry = { interval: false };
    entry.timer = setTimeout(() => {
      this._timers.delete(entry);
      if (!this._closed) fn();
    }, ms);
    this._timers.add(entry);
  }

  _socketGone() {
    this._ws = null;
    this._connected = false;
    for (const pending of Array.from(this._pending.values())) pending.reject(new Error("the session socket closed"));
    this._pending.clear();
  }

  _dropSocket() {
    const ws = this._ws;
    this._socketGone();
    try { ws && ws.close(); } catch (error) { /* ignore */ }
    this._onSocketClosed(1006);
  }

  _onSocketClosed(code) {
    if (this._closed) return;
    const outcome = closeOutcome(code, this._leaving);
    if (outcome === "left") {
      this._shutdown();
      return;
    }
    if (outcome) {
      this._terminate(outcome);
      return;
    }
    this._setState(SessionState.FAILED);
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    this._later(() => this._reconnect(), this._backoff.next());
  }

  async _reconnect() {
    if (this._closed) return;
    try {
      await this._connect(this._serverSessionId);
    } catch (error) {
      if (this._closed) return;
      if (await this._accessRevoked()) {
        this._terminate("onMeExpelled");
        return;
      }
      this._scheduleReconnect();
      return;
    }
    // Notifications sent while the socket was down are lost: catch up from a fresh snapshot.
    this._ready = false;
    try {
      await this._loadSnapshot(true);
    } catch (error) {
      if (typeof console !== "undefined") console.warn("MindSDK: reloading the conference failed", error);
    }
    this._ready = true;
    this._flushBacklog();
    this._syncPublications();
  }

  /** After a refused handshake: is my token dead (expelled, conference gone) or was it the network? */
  async _accessRevoked() {
    try {
      await this._rest("GET", `/participants/${this._me.id}`);
      return false;
    } catch (error) {
      return [401, 403, 404].includes(error.status);
    }
  }

  _setState(state) {
    if (this._state === state) return;
    this._state = state;
    dispatch(this._listener, "onSessionStateChanged", this);
  }

  _terminate(callback) {
    this._shutdown();
    clearResume(this.conferenceId);
    const argument = callback === "onConferenceEnded" ? this._conference
      : callback === "onMeExpelled" ? this._me : this;
    dispatch(this._listener, callback, argument);
  }

  /** Closes everything local: sockets, PeerConnections, timers. Devices stay as they are. */
  _shutdown() {
    if (this._closed) return;
    this._closed = true;
    for (const entry of this._timers) (entry.interval ? clearInterval : clearTimeout)(entry.timer);
    this._timers.clear();
    for (const publication of Object.values(this._publications)) publication.close();
    this._subscription.reset();
    const ws = this._ws;
    this._socketGone();
    if (ws) {
      try { ws.close(1000); } catch (error) { /* ignore */ }
    }
  }

  /** Leaves the conference now (MindSDK.exit2): the participant goes offline at once. */
  _exit() {
    if (this._closed) return;
    this._leaving = true;
    if (this._isConnected()) {
      try { this._ws.send(JSON.stringify({ type: "leave" })); } catch (error) { /* ignore */ }
    }
    clearResume(this.conferenceId);
    this._shutdown();
  }
}

function receiverLevel(receiver) {
  if (!receiver || typeof receiver.getSynchronizationSources !== "function") return null;
  const sources = receiver.getSynchronizationSources();
  return sources && sources.length ? sources[0].audioLevel || 0 : 0;
}
