// End-to-end encryption in the room (meetings with settings.encryption_type "e2ee"; docs/room.md).
//
// `RoomEncryption` ties the pieces to the call: the key agreement (keys.js) speaks through the room's
// participant messages, the frame transform (worker.js) is handed to the SDK
// (SessionOptions.setFrameTransform: every sender encrypts, every receiver decrypts), the E2EE badge
// shows the verification code, and a tile whose frames this browser cannot decrypt says the key is
// missing. `prejoinNotice` tells people before they join, and stops a browser that cannot encrypt.

import { _ } from "../room/i18n.js";
import { MeetingKeys } from "./keys.js";

const MISSING_AFTER_MS = 2000; // frames nobody could open for this long: the key is missing
const LOCK = "M18 8h-1V6c0-2.76-2.24-5-5-5S7 3.24 7 6v2H6c-1.1 0-2 .9-2 2v10c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V10c0-1.1-.9-2-2-2zm-6 9c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 2zm3.1-9H8.9V6c0-1.71 1.39-3.1 3.1-3.1 1.71 0 3.1 1.39 3.1 3.1v2z";

function lockIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", LOCK);
  svg.append(path);
  return svg;
}

/** Whether this browser can take part: encoded transforms (standard or Chromium's) and WebCrypto. */
export function supported() {
  const scriptTransform = typeof globalThis.RTCRtpScriptTransform === "function";
  const insertable = Boolean(globalThis.RTCRtpSender && "createEncodedStreams" in globalThis.RTCRtpSender.prototype);
  return Boolean(globalThis.crypto && globalThis.crypto.subtle && globalThis.Worker && (scriptTransform || insertable));
}

/** The pre-join screen of an encrypted meeting: a note, and no Join button where the browser cannot encrypt. */
export function prejoinNotice() {
  const note = document.getElementById("e2ee-prejoin");
  note.hidden = false;
  if (supported()) {
    note.textContent = _("This meeting is end-to-end encrypted: only the people in it can see and hear it. It can't be recorded, transcribed, streamed or joined by phone.");
    return true;
  }
  note.textContent = _("This meeting is end-to-end encrypted, and this browser can't encrypt calls. Join from a recent Chrome, Edge, Firefox or Safari.");
  note.classList.add("e2ee-unsupported");
  document.getElementById("join-button").hidden = true;
  return false;
}

function preferVp8(transceiver) {
  // The clear header the media server reads is VP8's (frames.js); H.264 would need its NAL units clear.
  const caps = globalThis.RTCRtpSender && globalThis.RTCRtpSender.getCapabilities
    ? globalThis.RTCRtpSender.getCapabilities("video") : null;
  if (!caps || typeof transceiver.setCodecPreferences !== "function") return;
  const vp8 = caps.codecs.filter((c) => /vp8/i.test(c.mimeType));
  const helpers = caps.codecs.filter((c) => /rtx|red|ulpfec|flexfec/i.test(c.mimeType));
  if (vp8.length) transceiver.setCodecPreferences([...vp8, ...helpers]);
}

export class RoomEncryption {
  /** send(participantId | null, message), present() -> ids in the call, tileOf(id) -> the tile or null. */
  static async start({ meetingId, send, present, tileOf }) {
    const room = new RoomEncryption({ meetingId, send, present, tileOf });
    await room.keys.start();
    room.render();
    return room;
  }

  constructor({ meetingId, send, present, tileOf }) {
    this.tileOf = tileOf;
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => { if (data.type === "stats") this._stats(data.receivers); };
    this.useScriptTransform = typeof globalThis.RTCRtpScriptTransform === "function";
    this.keys = new MeetingKeys({ meetingId, send, present, sink: (message) => this.worker.postMessage(message),
                                  onChange: () => this.render() });
    this.attached = new WeakSet();
    this.owners = new Map(); // receiver mid -> participant id
    this.seen = new Map(); // receiver mid -> last counts
    this.lastOpened = new Map(); // participant id -> time a frame of theirs last decrypted
    this.lastRefused = new Map(); // participant id -> time a frame of theirs last could not be decrypted
    this.transform = {
      peerConnectionConfig: () => (this.useScriptTransform ? {} : { encodedInsertableStreams: true }),
      sender: (sender, kind) => this._attach(sender, kind, "encrypt", "send"),
      receiver: (receiver, kind, mid) => this._attach(receiver, kind, "decrypt", mid),
      streams: (assignment) => this._assign(assignment),
      preferCodecs: preferVp8,
    };
  }

  /** In the call: hello to everyone. */
  joined() { this.keys.hello(); }

  participantJoined(id) { this.keys.hello(id); }

  participantLeft(id) {
    this.lastOpened.delete(id);
    this.lastRefused.delete(id);
    return this.keys.participantLeft(id);
  }

  onSignal(signal, participantId) {
    // A malformed key (not a P-256 point) from someone is ignored; it still shows in the code.
    return this.keys.onSignal(signal, participantId).catch((error) => console.warn("E2EE: a key message was refused", error));
  }

  get code() { return this.keys.code; }

  render() {
    const badge = document.getElementById("e2ee-badge");
    if (!badge) return;
    badge.hidden = false;
    badge.dataset.code = this.keys.code;
    badge.dataset.keyId = String(this.keys.sending.keyId); // not secret: every frame names its key
    badge.title = _("End-to-end encrypted. Compare this code with the others': if everyone sees the same code, nobody else can see or hear the call.");
    badge.replaceChildren(lockIcon(), document.createTextNode(_("End-to-end encrypted")), Object.assign(
      document.createElement("code"), { id: "e2ee-code", textContent: this.keys.code }));
  }

  // --- inside ---------------------------------------------------------------------------------

  _attach(endpoint, kind, operation, id) {
    if (this.attached.has(endpoint)) return;
    this.attached.add(endpoint);
    const options = { operation, kind, id };
    if (this.useScriptTransform) {
      endpoint.transform = new globalThis.RTCRtpScriptTransform(this.worker, options);
    } else {
      const { readable, writable } = endpoint.createEncodedStreams();
      this.worker.postMessage({ type: "streams", ...options, readable, writable }, [readable, writable]);
    }
  }

  _assign(assignment) {
    this.owners.clear();
    for (const entry of assignment.values()) {
      for (const kind of ["audio", "video"]) if (entry[kind]) this.owners.set(entry[kind].mid, entry.participantId);
    }
  }

  _stats(receivers) {
    const now = Date.now();
    for (const [mid, counts] of Object.entries(receivers)) {
      const before = this.seen.get(mid) || { ok: 0, noKey: 0, failed: 0 };
      this.seen.set(mid, counts);
      const owner = this.owners.get(mid);
      if (!owner) continue;
      if (counts.ok > before.ok) this.lastOpened.set(owner, now);
      if (counts.noKey + counts.failed > before.noKey + before.failed) this.lastRefused.set(owner, now);
    }
    for (const owner of new Set(this.owners.values())) this._showKeyState(owner, now);
  }

  /** A tile whose frames keep arriving unopened (and none opens) says the key is missing. */
  _showKeyState(id, now) {
    const tile = this.tileOf(id);
    if (!tile) return;
    const refused = this.lastRefused.get(id) || 0;
    const opened = this.lastOpened.get(id) || 0;
    const missing = now - refused < MISSING_AFTER_MS && now - opened > MISSING_AFTER_MS;
    tile.el.dataset.e2ee = missing ? "missing-key" : (opened ? "ok" : "waiting");
    let notice = tile.el.querySelector(".e2ee-missing");
    if (missing && !notice) {
      notice = document.createElement("div");
      notice.className = "e2ee-missing";
      notice.setAttribute("role", "status");
      notice.textContent = _("Can't decrypt this person's video and sound: their encryption key is missing.");
      tile.el.append(notice);
    } else if (!missing && notice) {
      notice.remove();
    }
  }
}
