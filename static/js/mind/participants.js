// Conference, Participant and Me: the session's model of the conference, updated from the
// server's notifications ({type, location, resource}; see docs/mind-protocol.md).

import { mayPublish } from "./enums.js";
import { MediaStream } from "./MediaStream.js";

const OFF = { audio: false, video: false };

export class Participant {
  constructor(session, json) {
    this._session = session;
    this.id = json.id;
    this._json = { online: false, name: "", priority: 1, role: "speaker", layout: "mosaic", language: null,
                   media: OFF, secondaryMedia: OFF, ...json };
    this._primary = new MediaStream(`${this.id}:primary`);
    this._secondary = new MediaStream(`${this.id}:secondary`);
  }
  getId() { return this.id; }
  getName() { return this._json.name; }
  getPriority() { return this._json.priority; }
  getLanguage() { return this._json.language ?? null; }
  getRole() { return this._json.role; }
  getLayout() { return this._json.layout; }
  isOnline() { return Boolean(this._json.online); }
  isStreamingAudio() { return Boolean(this._json.media && this._json.media.audio); }
  isStreamingVideo() { return Boolean(this._json.media && this._json.media.video); }
  isStreamingSecondaryAudio() { return Boolean(this._json.secondaryMedia && this._json.secondaryMedia.audio); }
  isStreamingSecondaryVideo() { return Boolean(this._json.secondaryMedia && this._json.secondaryMedia.video); }
  getMediaStream() { return this._primary; }
  getSecondaryMediaStream() { return this._secondary; }
  /** Extension: the participant's representation as the server last sent it. */
  toJSON() { return { ...this._json }; }

  setName(name) { return this._patch({ name }); }
  setPriority(priority) { return this._patch({ priority }); }
  setLanguage(language) { return this._patch({ language }); }
  setRole(role) { return this._patch({ role }); }
  _patch(fields) { return this._session._rest("PATCH", `/participants/${this.id}`, fields).then(() => undefined); }

  /** Applies a new representation; returns the names of the changed aspects. */
  _update(json) {
    const before = this._json;
    this._json = { ...before, ...json };
    const changed = [];
    for (const key of ["online", "name", "priority", "language", "role", "layout"]) {
      if (json[key] !== undefined && before[key] !== json[key]) changed.push(key);
    }
    for (const key of ["media", "secondaryMedia"]) {
      const a = before[key] || OFF;
      const b = json[key];
      if (b && (Boolean(a.audio) !== Boolean(b.audio) || Boolean(a.video) !== Boolean(b.video))) changed.push(key);
    }
    return changed;
  }
}

export class Me extends Participant {
  constructor(session, json) {
    super(session, json);
    this._primary = null; // my outgoing streams are set by the application
    this._secondary = null;
  }
  getMediaStream() { return this._primary; }
  getSecondaryMediaStream() { return this._secondary; }
  setMediaStream(stream) {
    this._primary = stream || null;
    this._session._publication("primary").setStream(this._primary);
  }
  setSecondaryMediaStream(stream) {
    this._secondary = stream || null;
    this._session._publication("secondary").setStream(this._secondary);
  }
  // Computed locally: what I am sending, as the SDK does.
  isStreamingAudio() { return this._session._publication("primary").isSending("audio"); }
  isStreamingVideo() { return this._session._publication("primary").isSending("video"); }
  isStreamingSecondaryAudio() { return this._session._publication("secondary").isSending("audio"); }
  isStreamingSecondaryVideo() { return this._session._publication("secondary").isSending("video"); }
  /** Extension: whether my role allows publishing that media ("primary" or "secondary"). */
  mayPublish(media = "primary") { return mayPublish(this.getRole(), media); }

  setName(name) {
    const previous = this._json.name;
    this._json = { ...this._json, name }; // a notification of my own change is not "by someone else"
    return this._patch({ name }).catch((error) => {
      this._json = { ...this._json, name: previous };
      throw error;
    });
  }

  sendMessageToApplication(text) { return this._session._sendMessage(this._session.applicationId, text); }
  sendMessageToParticipant(text, participant) {
    const id = typeof participant === "string" ? participant : participant.getId();
    return this._session._sendMessage(id, text);
  }
  sendMessageToAll(text) { return this._session._sendMessage(this._session.conferenceId, text); }
}

export class Conference {
  constructor(session, json, me) {
    this._session = session;
    this.id = json.id;
    this._json = { name: "", layout: "mosaic", recording: { started: false }, ...json };
    this._me = me;
    this._participants = new Map(); // every known remote participant, online or not
    this._online = []; // the live array getParticipants() returns
    this._transcription = { started: false };
    this._mixed = new MediaStream("conference");
  }
  getId() { return this.id; }
  getName() { return this._json.name; }
  setName(name) { return this._session._rest("PATCH", "", { name }).then(() => undefined); }
  getLayout() { return this._json.layout; }
  getMe() { return this._me; }
  getParticipants() { return this._online; }
  getParticipantById(id) {
    if (this._me && id === this._me.id) return this._me;
    return this._participants.get(id);
  }
  isRecording() { return Boolean(this._json.recording && this._json.recording.started); }
  startRecording() { return this._session._rest("POST", "/recording/start").then(() => undefined); }
  stopRecording() { return this._session._rest("POST", "/recording/stop").then(() => undefined); }
  getRecordingURL() {
    return `${this._session.restURL}/recording?access_token=${encodeURIComponent(this._session.token)}`;
  }
  /** The MCU stream of the official SDK: our engine is an SFU, so this stream stays empty. */
  getMediaStream() { return this._mixed; }
  getEndingAt() { return this._json.endingAt; }
  /** Extension: whether the conference is being transcribed (from `/transcription` notifications). */
  isTranscribing() { return Boolean(this._transcription.started); }

  // --- state from the server --------------------------------------------------------------------

  /** The participant object for an id (created as an offline placeholder if unknown). */
  _participant(id) {
    let participant = this._participants.get(id);
    if (!participant) {
      participant = new Participant(this._session, { id });
      this._participants.set(id, participant);
    }
    return participant;
  }

  _refreshOnline() {
    const online = Array.from(this._participants.values()).filter((p) => p.isOnline());
    this._online.splice(0, this._online.length, ...online); // keep the live array's identity
  }
}

/**
 * Applies one notification to the model and returns the listener calls it implies, as
 * [[callbackName, ...args], ...]. Pure with respect to the listener (the session dispatches).
 */
export function applyNotification(conference, note, applicationId) {
  const calls = [];
  const { type, location = "", resource } = note || {};
  const me = conference.getMe();
  if (location === "/" || location === "") {
    if (type === "deleted") return [["_ended"]];
    if (!resource) return calls;
    const wasRecording = conference.isRecording();
    const oldName = conference.getName();
    conference._json = { ...conference._json, ...resource };
    if (resource.name !== undefined && resource.name !== oldName) calls.push(["onConferenceNameChanged", conference]);
    if (conference.isRecording() !== wasRecording) {
      calls.push([conference.isRecording() ? "onConferenceRecordingStarted" : "onConferenceRecordingStopped", conference]);
    }
    return calls;
  }
  if (location.startsWith("/transcription")) {
    if (location === "/transcription" && resource && typeof resource === "object") {
      conference._transcription = { ...conference._transcription, ...resource };
    }
    calls.push(["onConferenceTranscription", conference, resource, location]);
    return calls;
  }
  let match = location.match(/^\/participants\/([^/]+)$/);
  if (match) {
    const id = match[1];
    if (me && id === me.id) {
      if (type === "deleted") return [["_expelled"]];
      const changed = me._update(resource || {});
      const names = { name: "onMeNameChanged", priority: "onMePriorityChanged", language: "onMeLanguageChanged",
                      role: "onMeRoleChanged" };
      for (const key of changed) if (names[key]) calls.push([names[key], me]);
      return calls;
    }
    const known = conference._participants.get(id);
    if (type === "deleted") {
      if (known) {
        const wasOnline = known.isOnline();
        known._json = { ...known._json, online: false, media: OFF, secondaryMedia: OFF };
        conference._participants.delete(id);
        conference._refreshOnline();
        if (wasOnline) calls.push(["onParticipantExited", known]);
      }
      return calls;
    }
    if (!resource) return calls;
    const participant = conference._participant(id);
    const wasOnline = participant.isOnline();
    const changed = participant._update(resource);
    conference._refreshOnline();
    if (!wasOnline && participant.isOnline()) {
      calls.push(["onParticipantJoined", participant]);
      return calls; // its current name, role and media come with it
    }
    if (wasOnline && !participant.isOnline()) {
      calls.push(["onParticipantExited", participant]);
      return calls;
    }
    if (!participant.isOnline()) return calls;
    const names = { name: "onParticipantNameChanged", priority: "onParticipantPriorityChanged",
                    language: "onParticipantLanguageChanged", role: "onParticipantRoleChanged",
                    media: "onParticipantMediaChanged", secondaryMedia: "onParticipantSecondaryMediaChanged" };
    for (const key of changed) if (names[key]) calls.push([names[key], participant]);
    return calls;
  }
  match = location.match(/^\/messages\/[^/]+$/);
  if (match && type === "created" && resource) {
    if (me && resource.sentBy === me.id) return calls; // my own message to everyone
    if (resource.sentBy === applicationId) {
      calls.push(["onMeReceivedMessageFromApplication", me, resource.text]);
    } else {
      const participant = conference._participants.get(resource.sentBy) || conference._participant(resource.sentBy);
      // Extension: the message itself (sentTo, sentAt) as a 4th argument, e.g. to tell private messages.
      calls.push(["onMeReceivedMessageFromParticipant", me, resource.text, participant, resource]);
    }
    return calls;
  }
  return calls;
}
