// getStats() reports -> statistics objects (rtt, bitrate, losses, jitter, fps, size, level).
import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { parseRtpStatistics, parseSessionStatistics, MediaStreamVideoStatistics } = await import(`${SDK}statistics.js`);

const transport = [
  { id: "T", type: "transport", selectedCandidatePairId: "CP" },
  { id: "CP", type: "candidate-pair", state: "succeeded", nominated: true, localCandidateId: "L", remoteCandidateId: "R",
    currentRoundTripTime: 0.042, availableOutgoingBitrate: 1500000 },
  { id: "L", type: "local-candidate", address: "10.99.0.2", port: 50000, protocol: "udp" },
  { id: "R", type: "remote-candidate", address: "10.99.0.1", port: 20000, protocol: "udp" },
];

test("session statistics come from the selected candidate pair", () => {
  const stats = parseSessionStatistics(new Map(transport.map((s) => [s.id, s])), 1234);
  assert.equal(stats.getProtocol(), "udp");
  assert.equal(stats.getLocalAddress(), "10.99.0.2");
  assert.equal(stats.getLocalPort(), 50000);
  assert.equal(stats.getRemoteAddress(), "10.99.0.1");
  assert.equal(stats.getRemotePort(), 20000);
  assert.equal(stats.getRtt(), 42);
  assert.equal(stats.getTimestamp(), 1234);
  assert.match(stats.toString(), /protocol=udp/);
});

test("without a selected pair the protocol is none", () => {
  const stats = parseSessionStatistics([{ id: "CP", type: "candidate-pair", state: "in-progress" }]);
  assert.equal(stats.getProtocol(), "none");
  assert.equal(stats.getLocalPort(), 0);
});

test("received video: bitrate and losses from the difference of two samples, fps and size", () => {
  const before = [...transport, { id: "IV", type: "inbound-rtp", kind: "video", mid: "1", timestamp: 1000,
    bytesReceived: 100000, packetsReceived: 900, packetsLost: 10, framesDecoded: 100, jitter: 0.01,
    jitterBufferDelay: 10, jitterBufferEmittedCount: 100 }];
  const after = [...transport, { id: "IV", type: "inbound-rtp", kind: "video", mid: "1", timestamp: 3000,
    bytesReceived: 350000, packetsReceived: 1090, packetsLost: 20, framesDecoded: 160, framesPerSecond: 30,
    frameWidth: 640, frameHeight: 360, jitter: 0.005, jitterBufferDelay: 16, jitterBufferEmittedCount: 160 }];
  const { streams } = parseRtpStatistics(after, before, 5000);
  const entry = streams.get("in:1");
  assert.equal(entry.kind, "video");
  assert.ok(entry.stats instanceof MediaStreamVideoStatistics);
  assert.equal(entry.stats.getBitrate(), 1000000); // 250000 bytes in 2 s
  assert.equal(entry.stats.getLosses(), 5); // 10 lost of 200
  assert.equal(entry.stats.getRate(), 30);
  assert.equal(entry.stats.getWidth(), 640);
  assert.equal(entry.stats.getHeight(), 360);
  assert.equal(entry.stats.getJitter(), 5);
  assert.equal(entry.stats.getDelay(), 100); // 6 s of buffering over 60 frames
  assert.equal(entry.stats.getRtt(), 42);
  assert.equal(entry.stats.getTimestamp(), 5000);
});

test("the first sample has no rates yet", () => {
  const { streams } = parseRtpStatistics([{ id: "IA", type: "inbound-rtp", kind: "audio", mid: "0", timestamp: 1,
    bytesReceived: 5000, packetsReceived: 10, packetsLost: 0, audioLevel: 0.25 }]);
  const stats = streams.get("in:0").stats;
  assert.equal(stats.getBitrate(), 0);
  assert.equal(stats.getLevel(), 25);
});

test("sent audio: bitrate, remote losses and rtt, level from the media source", () => {
  const common = [{ id: "S", type: "media-source", kind: "audio", audioLevel: 0.5 },
                  { id: "RR", type: "remote-inbound-rtp", kind: "audio", roundTripTime: 0.03, fractionLost: 0.02, jitter: 0.004 }];
  const before = [...common, { id: "OA", type: "outbound-rtp", kind: "audio", mid: "0", timestamp: 0, bytesSent: 0,
                               packetsSent: 0, mediaSourceId: "S", remoteId: "RR" }];
  const after = [...common, { id: "OA", type: "outbound-rtp", kind: "audio", mid: "0", timestamp: 1000, bytesSent: 4000,
                              packetsSent: 50, mediaSourceId: "S", remoteId: "RR" }];
  const stats = parseRtpStatistics(after, before).streams.get("out:0").stats;
  assert.equal(stats.getBitrate(), 32000);
  assert.equal(stats.getRtt(), 30);
  assert.equal(stats.getLosses(), 2);
  assert.equal(stats.getLevel(), 50);
  assert.equal(stats.getRate(), 48000);
});

test("simulcast layers of one sent video add up; the size is the largest layer's", () => {
  const layer = (id, rid, bytes, width) => ({ id, type: "outbound-rtp", kind: "video", mid: "1", rid, timestamp: 1000,
    bytesSent: bytes, frameWidth: width, frameHeight: width / 2, framesPerSecond: 30 });
  const before = [layer("L", "l", 0, 320), layer("H", "h", 0, 640)].map((s) => ({ ...s, timestamp: 0 }));
  const after = [layer("L", "l", 10000, 320), layer("H", "h", 40000, 640)];
  const stats = parseRtpStatistics(after, before).streams.get("out:1").stats;
  assert.equal(stats.getBitrate(), 400000);
  assert.equal(stats.getWidth(), 640);
  assert.equal(stats.getHeight(), 320);
});
