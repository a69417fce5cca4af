// End-to-end encryption of the room (static/js/e2ee/): the frame format (frames.js) and the key
// agreement between browsers (keys.js), with node's WebCrypto.
import assert from "node:assert/strict";
import { test } from "node:test";

const E2EE = new URL("../../static/js/e2ee/", import.meta.url).href;
const { clearBytes, decryptFrame, encryptFrame, importKey, TRAILER_BYTES, TAG_BYTES } = await import(`${E2EE}frames.js`);
const { MeetingKeys, verificationCode } = await import(`${E2EE}keys.js`);

const rawKey = (fill) => new Uint8Array(32).fill(fill).buffer;
const bytes = (n, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) % 256).buffer;

test("a VP8 key frame keeps its 10-byte header in the clear and the rest is unreadable", async () => {
  const key = await importKey(rawKey(7));
  const frame = bytes(200, 1);
  const sealed = new Uint8Array(await encryptFrame(frame, { key, keyId: 0xdeadbeef }, "video", "key"));
  assert.equal(sealed.byteLength, 200 + TAG_BYTES + TRAILER_BYTES);
  assert.deepEqual(sealed.subarray(0, 10), new Uint8Array(frame).subarray(0, 10));
  assert.notDeepEqual(sealed.subarray(10, 200), new Uint8Array(frame).subarray(10, 200));
  const opened = await decryptFrame(sealed.buffer, new Map([[0xdeadbeef, key]]), "video", "key");
  assert.equal(opened.status, "ok");
  assert.deepEqual(new Uint8Array(opened.data), new Uint8Array(frame));
});

test("clear bytes: 3 for a delta frame, 1 (Opus TOC) for audio", async () => {
  assert.equal(clearBytes("video", "delta"), 3);
  assert.equal(clearBytes("audio", undefined), 1);
  const key = await importKey(rawKey(1));
  const sealed = new Uint8Array(await encryptFrame(bytes(50, 9), { key, keyId: 5 }, "audio"));
  assert.equal(sealed[0], 9);
  assert.notEqual(sealed[1], 10);
});

test("each frame gets its own IV: the same frame twice encrypts differently", async () => {
  const key = await importKey(rawKey(3));
  const a = new Uint8Array(await encryptFrame(bytes(80), { key, keyId: 1 }, "video", "delta"));
  const b = new Uint8Array(await encryptFrame(bytes(80), { key, keyId: 1 }, "video", "delta"));
  assert.notDeepEqual(a, b);
});

test("without the key, with another key, or altered, a frame does not open", async () => {
  const key = await importKey(rawKey(4));
  const sealed = await encryptFrame(bytes(120), { key, keyId: 42 }, "video", "delta");
  assert.equal((await decryptFrame(sealed, new Map(), "video", "delta")).status, "no-key");
  const other = await importKey(rawKey(5));
  assert.equal((await decryptFrame(sealed, new Map([[42, other]]), "video", "delta")).status, "failed");
  const altered = new Uint8Array(sealed.slice(0));
  altered[1] ^= 1; // the clear header is authenticated too
  assert.equal((await decryptFrame(altered.buffer, new Map([[42, key]]), "video", "delta")).status, "failed");
  assert.equal((await decryptFrame(bytes(10), new Map([[42, key]]), "video", "delta")).status, "no-key");
});

test("a frame shorter than its clear header survives the round trip", async () => {
  const key = await importKey(rawKey(6));
  const sealed = await encryptFrame(bytes(2), { key, keyId: 8 }, "video", "key");
  const opened = await decryptFrame(sealed, new Map([[8, key]]), "video", "key");
  assert.equal(opened.status, "ok");
  assert.deepEqual(new Uint8Array(opened.data), new Uint8Array(bytes(2)));
});

/** Browsers wired through a relay that delivers messages in order, as the engine's messaging does. */
function call(names) {
  const people = new Map();
  const queue = [];
  for (const name of names) {
    const person = { name, sink: [], keys: null };
    person.keys = new MeetingKeys({
      meetingId: 123, sink: (message) => person.sink.push(message), rotationDelay: 0, graceMs: 0,
      present: () => [...people.keys()].filter((id) => id !== name),
      send: async (to, message) => {
        for (const [id, other] of people) if (id !== name && (to === null || to === id)) queue.push([other, message, name]);
      },
    });
    people.set(name, person);
  }
  async function settle() {
    while (queue.length) {
      const [to, message, from] = queue.shift();
      if (people.has(to.name)) await to.keys.onSignal(JSON.parse(JSON.stringify(message)), from);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const held = (person) => {
    const keys = new Set();
    for (const m of person.sink) {
      if (m.type === "add-key") keys.add(m.keyId);
      if (m.type === "remove-key") keys.delete(m.keyId);
    }
    return keys;
  };
  const sending = (person) => person.sink.filter((m) => m.type === "send-key").at(-1);
  return { people, settle, held, sending };
}

test("people who say hello end up holding each other's sending keys and the same code", async () => {
  const room = call(["ann", "bob", "cem"]);
  const [ann, bob, cem] = room.people.values();
  for (const person of room.people.values()) await person.keys.start();
  for (const person of room.people.values()) await person.keys.hello();
  await room.settle();
  for (const person of room.people.values()) {
    const others = [...room.people.values()].filter((p) => p !== person);
    assert.deepEqual([...room.held(person)].sort(), others.map((p) => room.sending(p).keyId).sort(), person.name);
  }
  assert.ok(ann.keys.code.match(/^\d{5} \d{5} \d{5} \d{5}$/));
  assert.equal(ann.keys.code, bob.keys.code);
  assert.equal(bob.keys.code, cem.keys.code);
  // The raw key Bob was given for Ann is Ann's own.
  const annSends = room.sending(ann);
  const given = bob.sink.find((m) => m.type === "add-key" && m.keyId === annSends.keyId);
  assert.deepEqual(new Uint8Array(given.raw), new Uint8Array(annSends.raw));
});

test("when someone leaves the others rotate, and the leaver never gets the new keys", async () => {
  const room = call(["ann", "bob", "cem"]);
  const [ann, bob, cem] = room.people.values();
  for (const person of room.people.values()) await person.keys.start();
  for (const person of room.people.values()) await person.keys.hello();
  await room.settle();
  const before = room.sending(ann).keyId;
  room.people.delete("cem");
  await ann.keys.participantLeft("cem");
  await bob.keys.participantLeft("cem");
  await room.settle();
  const after = room.sending(ann).keyId;
  assert.notEqual(after, before);
  assert.ok(room.held(bob).has(after) && room.held(ann).has(room.sending(bob).keyId));
  assert.ok(!room.held(cem).has(after));
  assert.equal(ann.keys.code, bob.keys.code);
  assert.notEqual(ann.keys.code, cem.keys.code);
});

test("a relay that swaps a public key shows in the codes", async () => {
  const room = call(["ann", "bob"]);
  const [ann, bob] = room.people.values();
  await ann.keys.start();
  await bob.keys.start();
  const mallory = new MeetingKeys({ meetingId: 123, sink: () => {}, send: async () => {}, present: () => [] });
  await mallory.start();
  // Ann hears "Bob" with Mallory's key; Bob hears Ann's real key.
  await ann.keys.onSignal({ confer: "e2ee", op: "hello", pub: mallory.identity.pub }, "bob");
  await bob.keys.onSignal({ confer: "e2ee", op: "hello", pub: ann.keys.identity.pub }, "ann");
  assert.notEqual(ann.keys.code, bob.keys.code);
});

test("the code does not depend on the order of the keys", async () => {
  assert.equal(await verificationCode(["b", "a", "c"]), await verificationCode(["c", "b", "a"]));
  assert.notEqual(await verificationCode(["a", "b"]), await verificationCode(["a", "c"]));
});

test("a hello with a public key that is not a P-256 point is refused without harm", async () => {
  const room = call(["ann"]);
  const ann = room.people.get("ann");
  await ann.keys.start();
  await assert.rejects(ann.keys.onSignal({ confer: "e2ee", op: "hello", pub: btoa("not a point") }, "eve"));
  assert.equal(room.held(ann).size, 0);
});
