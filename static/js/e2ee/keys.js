// Keys of an end-to-end encrypted meeting, agreed between the participants' browsers: the server
// relays the messages but never holds a key that opens them (docs/room.md, "End-to-end encryption").
//
// - Each browser makes an ECDH P-256 identity for this call (private key non-extractable) and its own
//   sending key (32 random bytes, named by a random 32-bit key id): SFrame-style per-sender keys.
// - It says hello ({confer: "e2ee", op: "hello", pub}) to everyone when it joins. Whoever learns a
//   participant's public key sends them its sending key ({op: "key", pub, keyId, iv, wrapped}),
//   wrapped with AES-GCM under a key both derive: ECDH, then HKDF-SHA-256 salted with the meeting
//   id, the info naming both public keys. The receiver learns the sender's public key from the same
//   message and answers with its own key once. Messages travel as Mind participant messages.
// - When someone leaves, everyone makes a new sending key and sends it to those still here (the one
//   who left knew the old ones); the new key is used a moment later, so the others hold it first.
//   Old keys of others are dropped a few seconds after a newer one arrives.
// - The verification code is a hash of every public key in the call (mine and those of the people
//   in the participant list): the same code on everyone's screen means nobody's key was swapped on
//   the way (a relay that swapped keys would have to show different codes).
//
// `sink` receives the raw keys for the frame transform (the worker: {type: "send-key" | "add-key" |
// "remove-key", keyId, raw}); `send(participantId, object)` delivers a message; `present()` lists
// the ids of the people in the call. Pure WebCrypto: node runs it in tests/js/e2ee_keys.test.mjs.

const SIGNAL = "e2ee";
const ROTATION_DELAY_MS = 1000; // the others get the new key before frames use it
const OLD_KEY_GRACE_MS = 5000; // frames in flight under a replaced key still open
const text = new TextEncoder();

function b64(bytes) {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function unb64(value) {
  const binary = atob(String(value));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function randomKeyId(crypto) {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** "12345 67890 12345 67890": 20 digits of the hash of the sorted public keys. */
export async function verificationCode(publicKeys, crypto = globalThis.crypto) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text.encode([...publicKeys].sort().join("\n"))));
  let value = 0n;
  for (const byte of digest.subarray(0, 9)) value = (value << 8n) | BigInt(byte);
  const digits = (value % 10n ** 20n).toString().padStart(20, "0");
  return digits.match(/.{5}/g).join(" ");
}

export class MeetingKeys {
  constructor({ meetingId, sink, send, present, onChange = () => {}, crypto = globalThis.crypto,
                rotationDelay = ROTATION_DELAY_MS, graceMs = OLD_KEY_GRACE_MS }) {
    this.meetingId = String(meetingId);
    this.sink = sink;
    this.send = send;
    this.present = present;
    this.onChange = onChange;
    this.crypto = crypto;
    this.rotationDelay = rotationDelay;
    this.graceMs = graceMs;
    this.identity = null; // {privateKey, pub (base64 raw point)}
    this.sending = null; // {keyId, raw}
    this.peers = new Map(); // participant id -> {pub, wrapKey: Promise<CryptoKey>, keyIds: [], sentKeyId}
    this.keyOwners = new Map(); // key id -> participant id
    this.code = "";
    this.timers = new Set();
  }

  async start() {
    const pair = await this.crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    this.identity = { privateKey: pair.privateKey, pub: b64(await this.crypto.subtle.exportKey("raw", pair.publicKey)) };
    this.sending = this._newKeyMaterial();
    this.sink({ type: "send-key", keyId: this.sending.keyId, raw: this.sending.raw });
    await this._recomputeCode();
    return this;
  }

  /** My hello, to everyone (when I join) or to one person (who just joined). */
  hello(participantId = null) {
    return this.send(participantId, { confer: SIGNAL, op: "hello", pub: this.identity.pub });
  }

  /** Whether `signal` (a decoded room signal) is for this module. */
  static handles(signal) {
    return Boolean(signal && signal.confer === SIGNAL);
  }

  async onSignal(signal, participantId) {
    if (!participantId || typeof signal.pub !== "string" || signal.pub.length > 200) return;
    const peer = this._peer(participantId, signal.pub);
    if (signal.op === "key") await this._receiveKey(peer, participantId, signal);
    if (peer.sentKeyId !== this.sending.keyId) await this._sendKeyTo(participantId, peer);
    await this._recomputeCode();
  }

  /** Someone left: forget their keys (after the grace period) and rotate mine. */
  async participantLeft(participantId) {
    const peer = this.peers.get(participantId);
    this.peers.delete(participantId);
    if (peer) this._later(() => peer.keyIds.forEach((keyId) => this._dropKey(keyId)), this.graceMs);
    await this.rotate();
    await this._recomputeCode();
  }

  /** A new sending key for me, sent to everyone still here, used once they have it. */
  async rotate() {
    const next = this._newKeyMaterial();
    this.sending = next; // what the others are given from now on; my frames switch to it a moment later
    await Promise.all([...this.peers].map(([id, peer]) => this._sendKeyTo(id, peer)));
    this._later(() => {
      if (this.sending === next) this.sink({ type: "send-key", keyId: next.keyId, raw: next.raw });
    }, this.rotationDelay);
    this.onChange();
  }

  /** Per participant id: whether I hold their current key. */
  hasKeyOf(participantId) {
    const peer = this.peers.get(participantId);
    return Boolean(peer && peer.keyIds.length);
  }

  stop() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  // --- inside ---------------------------------------------------------------------------------

  _peer(participantId, pub) {
    let peer = this.peers.get(participantId);
    if (!peer || peer.pub !== pub) {
      // New, or a new identity under the same id (a reload): nothing of the old one is kept.
      if (peer) peer.keyIds.forEach((keyId) => this._dropKey(keyId));
      peer = { pub, wrapKey: this._wrapKey(pub), keyIds: [], sentKeyId: null };
      this.peers.set(participantId, peer);
    }
    return peer;
  }

  async _wrapKey(pub) {
    const subtle = this.crypto.subtle;
    const theirs = await subtle.importKey("raw", unb64(pub), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const shared = await subtle.deriveBits({ name: "ECDH", public: theirs }, this.identity.privateKey, 256);
    const material = await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
    return subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: text.encode(`confer-e2ee:${this.meetingId}`),
        info: text.encode([this.identity.pub, pub].sort().join("|")) },
      material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  }

  async _sendKeyTo(participantId, peer) {
    const sending = this.sending;
    peer.sentKeyId = sending.keyId;
    const iv = this.crypto.getRandomValues(new Uint8Array(12));
    const wrapped = await this.crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: text.encode(`${sending.keyId}`) }, await peer.wrapKey, sending.raw);
    await this.send(participantId, { confer: SIGNAL, op: "key", pub: this.identity.pub, keyId: sending.keyId,
                                     iv: b64(iv), wrapped: b64(wrapped) });
  }

  async _receiveKey(peer, participantId, signal) {
    const keyId = Number(signal.keyId);
    if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff || peer.keyIds.includes(keyId)) return;
    let raw;
    try {
      raw = await this.crypto.subtle.decrypt(
        { name: "AES-GCM", iv: unb64(signal.iv), additionalData: text.encode(`${keyId}`) }, await peer.wrapKey,
        unb64(signal.wrapped));
    } catch (error) {
      return; // not wrapped for me, or altered on the way
    }
    if (raw.byteLength !== 32) return;
    this.sink({ type: "add-key", keyId, raw });
    this.keyOwners.set(keyId, participantId);
    peer.keyIds.push(keyId);
    const older = peer.keyIds.slice(0, -1);
    if (older.length) {
      peer.keyIds = peer.keyIds.slice(-1);
      this._later(() => older.forEach((old) => this._dropKey(old)), this.graceMs);
    }
    this.onChange();
  }

  _dropKey(keyId) {
    this.sink({ type: "remove-key", keyId });
    this.keyOwners.delete(keyId);
  }

  _newKeyMaterial() {
    return { keyId: randomKeyId(this.crypto), raw: this.crypto.getRandomValues(new Uint8Array(32)).buffer };
  }

  async _recomputeCode() {
    const here = new Set(this.present());
    const keys = [this.identity.pub, ...[...this.peers].filter(([id]) => here.has(id)).map(([, peer]) => peer.pub)];
    const code = await verificationCode(keys, this.crypto);
    if (code !== this.code) {
      this.code = code;
      this.onChange();
    }
  }

  _later(run, ms) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
