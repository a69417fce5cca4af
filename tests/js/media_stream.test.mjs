// MediaStream consumers, suppliers and the `mediaStream` property of media elements.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeTrack, SDK } from "./fakes.mjs";

const { MediaStream } = await import(`${SDK}MediaStream.js`);
const { installElementProperties } = await import(`${SDK}elements.js`);

class Supplier {
  constructor() { this.audio = null; this.video = null; this.consumers = new Set(); }
  addAudioConsumer(stream) { this.consumers.add(stream); stream.onAudioBuffer(this.audio && { track: this.audio }, this); }
  addVideoConsumer(stream) { this.consumers.add(stream); stream.onVideoBuffer(this.video && { track: this.video }, this); }
  setAudio(track) { this.audio = track; for (const s of this.consumers) s.onAudioBuffer(track && { track }, this); }
}

test("a local stream takes its suppliers' tracks and tells its consumers about changes", () => {
  const microphone = new Supplier();
  const first = new FakeTrack("audio");
  microphone.audio = first;
  const stream = new MediaStream("local", microphone, null);
  assert.equal(stream.getAudioTrack(), first);
  const seen = [];
  stream.addConsumer({ onMediaStreamChanged: (s, kind) => seen.push([kind, s.getAudioTrack()]) });
  const second = new FakeTrack("audio");
  microphone.setAudio(second);
  microphone.setAudio(second); // no change, no call
  microphone.setAudio(null);
  assert.deepEqual(seen, [["audio", second], ["audio", null]]);
});

test("limits must be positive and reach consumers", () => {
  const stream = new MediaStream("local", new Supplier(), null);
  const seen = [];
  stream.addConsumer({ onMediaStreamChanged() {}, onMediaStreamLimitsChanged: (s) => seen.push(s.getMaxVideoBitrate()) });
  assert.throws(() => stream.setMaxVideoBitrate(0));
  stream.setMaxVideoBitrate(300000);
  assert.deepEqual(seen, [300000]);
  assert.equal(stream.getMaxVideoFrameArea(), Infinity);
});

test("extension: the audio level of a remote stream comes from its receiver", () => {
  const stream = new MediaStream("p:primary");
  assert.equal(stream.getAudioLevel(), 0);
  stream._setTrack("audio", new FakeTrack("audio"));
  stream._audioLevelSource = () => 0.7;
  assert.equal(stream.getAudioLevel(), 0.7);
});

test("element.mediaStream plays the stream and follows its tracks; null detaches", () => {
  class FakeElement { constructor() { this.srcObject = null; this.plays = 0; } play() { this.plays += 1; return Promise.resolve(); } }
  class HTMLVideoElement extends FakeElement {}
  class HTMLAudioElement extends FakeElement {}
  globalThis.HTMLVideoElement = HTMLVideoElement;
  globalThis.HTMLAudioElement = HTMLAudioElement;
  globalThis.MediaStream = class { constructor(tracks) { this.tracks = tracks; } getTracks() { return this.tracks; } };
  try {
    installElementProperties(globalThis);
    const remote = new MediaStream("p:primary");
    const video = new HTMLVideoElement();
    const audio = new HTMLAudioElement();
    video.mediaStream = remote;
    audio.mediaStream = remote;
    assert.equal(video.mediaStream, remote);
    assert.equal(video.srcObject, null); // nothing to play yet
    const a = new FakeTrack("audio");
    const v = new FakeTrack("video");
    remote._setTrack("audio", a);
    remote._setTrack("video", v);
    assert.deepEqual(video.srcObject.getTracks(), [a, v]);
    assert.deepEqual(audio.srcObject.getTracks(), [a]); // an <audio> plays audio only
    assert.ok(video.plays > 0 && video.playsInline === true);
    // A local stream in a <video>: video only and muted, so you do not hear yourself.
    const local = new MediaStream("local");
    local._setTrack("audio", new FakeTrack("audio"));
    local._setTrack("video", v);
    const preview = new HTMLVideoElement();
    preview.mediaStream = local;
    assert.deepEqual(preview.srcObject.getTracks(), [v]);
    assert.equal(preview.muted, true);
    video.mediaStream = null;
    assert.equal(video.srcObject, null);
    remote._setTrack("video", null);
    assert.equal(video.srcObject, null); // detached: no longer follows
  } finally {
    delete globalThis.HTMLVideoElement;
    delete globalThis.HTMLAudioElement;
    delete globalThis.MediaStream;
  }
});
