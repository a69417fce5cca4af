// The media encryption worker of an end-to-end encrypted meeting (a module worker; see keys.js).
//
// Frames reach it two ways: `rtctransform` events (RTCRtpScriptTransform, the standard: Chromium,
// Firefox, Safari), or {type: "streams"} messages carrying the readable/writable pair of Chromium's
// older `createEncodedStreams`. Each stream is "encrypt" (a sender) or "decrypt" (a receiver, named by
// its mid). Keys come as raw bytes: {type: "send-key", keyId, raw} (mine), {type: "add-key", keyId,
// raw} and {type: "remove-key", keyId} (the others'). A sender without a key drops its frames: nothing
// ever leaves this browser unencrypted. A receiver drops the frames it cannot decrypt (no key, or a
// key that does not open them) and counts them; every second the counts go to the page
// ({type: "stats", receivers: {mid: {ok, noKey, failed}}}), which tells people whose key is missing.

import { decryptFrame, encryptFrame, importKey } from "./frames.js";

let sendKey = null; // {key, keyId}
const keys = new Map(); // key id -> CryptoKey (the others' keys)
const counts = new Map(); // receiver mid -> {ok, noKey, failed}

function countsOf(id) {
  let entry = counts.get(id);
  if (!entry) {
    entry = { ok: 0, noKey: 0, failed: 0 };
    counts.set(id, entry);
  }
  return entry;
}

function kindOf(frame, kind) {
  return kind || (typeof frame.type === "string" ? "video" : "audio");
}

function transformFor({ operation, kind, id }) {
  if (operation === "encrypt") {
    return async (frame, controller) => {
      if (!sendKey) return; // dropped: never send in the clear
      frame.data = await encryptFrame(frame.data, sendKey, kindOf(frame, kind), frame.type);
      controller.enqueue(frame);
    };
  }
  const tally = countsOf(String(id));
  return async (frame, controller) => {
    const result = await decryptFrame(frame.data, keys, kindOf(frame, kind), frame.type);
    if (result.status === "ok") {
      tally.ok += 1;
      frame.data = result.data;
      controller.enqueue(frame);
    } else if (result.status === "empty") {
      controller.enqueue(frame);
    } else if (result.status === "no-key") {
      tally.noKey += 1;
    } else {
      tally.failed += 1;
    }
  };
}

function run(readable, writable, options) {
  readable.pipeThrough(new TransformStream({ transform: transformFor(options) })).pipeTo(writable)
    .catch(() => {}); // the stream ends with its PeerConnection
}

globalThis.onrtctransform = (event) => {
  const transformer = event.transformer;
  run(transformer.readable, transformer.writable, transformer.options || {});
};

globalThis.onmessage = async ({ data }) => {
  if (data.type === "streams") {
    run(data.readable, data.writable, data);
  } else if (data.type === "send-key") {
    sendKey = { key: await importKey(data.raw), keyId: data.keyId };
  } else if (data.type === "add-key") {
    keys.set(data.keyId, await importKey(data.raw));
  } else if (data.type === "remove-key") {
    keys.delete(data.keyId);
  }
};

setInterval(() => {
  if (counts.size) globalThis.postMessage({ type: "stats", receivers: Object.fromEntries(counts) });
}, 1000);
