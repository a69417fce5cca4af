// End-to-end encryption of one encoded media frame (AES-GCM, WebCrypto). Pure: used by the transform
// worker (worker.js) and by the node unit tests (tests/js/e2ee_frames.test.mjs).
//
// An encrypted frame is
//
//   [clear header] [AES-GCM ciphertext of the rest, with its 16-byte tag] [IV, 12 bytes] [key id, 4 bytes]
//
// The clear header is what the media server must read to forward the frame, as Jitsi leaves it:
// VP8's payload header (10 bytes of a key frame: frame tag, start code and size; 3 of a delta
// frame) and Opus's TOC byte (1). Janus finds key frames (simulcast switching) and the browser's
// depacketiser finds frame boundaries and sizes there; the header is authenticated (the AES-GCM
// additional data), so it cannot be altered either. Each frame has a fresh random 96-bit IV; each
// key belongs to one sender (a random 32-bit key id names it), so no IV repeats under a key in
// practice (2^32 frames per key before the birthday bound matters: years of video).

export const IV_BYTES = 12;
export const KEY_ID_BYTES = 4;
export const TAG_BYTES = 16;
export const TRAILER_BYTES = IV_BYTES + KEY_ID_BYTES;
const CLEAR = { key: 10, delta: 3, audio: 1 };

/** How many leading bytes of a frame stay in the clear: its kind ("audio" | "video") and type. */
export function clearBytes(kind, type) {
  if (kind === "audio") return CLEAR.audio;
  return type === "key" ? CLEAR.key : CLEAR.delta;
}

/** A non-extractable AES-GCM key from 32 raw bytes. */
export function importKey(raw, subtle = globalThis.crypto.subtle) {
  return subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

/**
 * Encrypts `data` (an ArrayBuffer: one encoded frame) with `key` (CryptoKey) named `keyId` (uint32).
 * Returns the encrypted frame as an ArrayBuffer; an empty frame stays empty.
 */
export async function encryptFrame(data, { key, keyId }, kind, type, crypto = globalThis.crypto) {
  const bytes = new Uint8Array(data);
  if (bytes.byteLength === 0) return data;
  const clear = Math.min(clearBytes(kind, type), bytes.byteLength);
  const header = bytes.subarray(0, clear);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: header }, key,
                                                             bytes.subarray(clear)));
  const out = new Uint8Array(clear + sealed.byteLength + TRAILER_BYTES);
  out.set(header, 0);
  out.set(sealed, clear);
  out.set(iv, clear + sealed.byteLength);
  new DataView(out.buffer).setUint32(out.byteLength - KEY_ID_BYTES, keyId >>> 0);
  return out.buffer;
}

/** The key id an encrypted frame names, or null when it is too short to be one. */
export function frameKeyId(data) {
  const bytes = new Uint8Array(data);
  if (bytes.byteLength < TAG_BYTES + TRAILER_BYTES) return null;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.byteLength - KEY_ID_BYTES);
}

/**
 * Decrypts an encrypted frame. `keys` maps key ids to CryptoKeys. Returns {status, data, keyId}:
 * "ok" with the frame as the encoder made it; "empty" (nothing to decrypt); "no-key" (a key id this
 * participant was not given, or not a frame of this format); "failed" (the key does not open it:
 * altered, or a different key under the same id).
 */
export async function decryptFrame(data, keys, kind, type, crypto = globalThis.crypto) {
  const bytes = new Uint8Array(data);
  if (bytes.byteLength === 0) return { status: "empty", data };
  const keyId = frameKeyId(data);
  const key = keyId === null ? undefined : keys.get(keyId);
  if (!key) return { status: "no-key", keyId };
  // A frame shorter than its clear header was sent all clear (plus tag and trailer).
  const clear = Math.min(clearBytes(kind, type), bytes.byteLength - TAG_BYTES - TRAILER_BYTES);
  const header = bytes.subarray(0, clear);
  const ivAt = bytes.byteLength - TRAILER_BYTES;
  const iv = bytes.subarray(ivAt, ivAt + IV_BYTES);
  try {
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: header }, key,
                                                             bytes.subarray(clear, ivAt)));
    const out = new Uint8Array(clear + plain.byteLength);
    out.set(header, 0);
    out.set(plain, clear);
    return { status: "ok", data: out.buffer, keyId };
  } catch (error) {
    return { status: "failed", keyId };
  }
}
