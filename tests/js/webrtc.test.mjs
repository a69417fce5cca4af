// Send encodings for the camera: one layer, or simulcast layers in the order Janus expects.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { sendEncodings, candidateJSON } = await import(`${SDK}webrtc.js`);

test("adaptivity 1 is one encoding with the camera's bitrate, capped by the stream's limits", () => {
  assert.deepEqual(sendEncodings({ bitrate: 800000, adaptivity: 1 }), [{ maxBitrate: 800000 }]);
  assert.deepEqual(sendEncodings({ bitrate: 800000 }, { maxVideoBitrate: 300000, maxVideoFrameRate: 15 }),
                   [{ maxBitrate: 300000, maxFramerate: 15 }]);
  assert.deepEqual(sendEncodings(null), [{ maxBitrate: 1000000 }]);
});

test("simulcast layers go highest first (h, m, l), each half the size, bitrate split 16:4:1", () => {
  const three = sendEncodings({ bitrate: 2100000, adaptivity: 3 });
  assert.deepEqual(three.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate]),
                   [["h", 1, 1600000], ["m", 2, 400000], ["l", 4, 100000]]);
  const two = sendEncodings({ bitrate: 1000000, adaptivity: 2 });
  assert.deepEqual(two.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate]), [["h", 1, 800000], ["l", 2, 200000]]);
});

test("candidates: null (end of candidates) for an empty one", () => {
  assert.equal(candidateJSON(null), null);
  assert.equal(candidateJSON({ candidate: "" }), null);
  assert.deepEqual(candidateJSON({ candidate: "candidate:1 1 udp 1 10.99.0.2 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 }),
                   { candidate: "candidate:1 1 udp 1 10.99.0.2 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 });
});
