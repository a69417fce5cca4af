// DeviceRegistry, Camera, Microphone, Screen with a fake navigator.mediaDevices.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { FakeTrack, SDK } from "./fakes.mjs";

const { DeviceRegistry } = await import(`${SDK}devices.js`);
const { MediaStream } = await import(`${SDK}MediaStream.js`);

class FakeMediaDevices extends EventTarget {
  constructor() {
    super();
    this.devices = [];
    this.requests = [];
  }
  async enumerateDevices() { return this.devices; }
  async getUserMedia(constraints) {
    this.requests.push(constraints);
    const track = new FakeTrack(constraints.video ? "video" : "audio");
    return { getVideoTracks: () => (track.kind === "video" ? [track] : []), getAudioTracks: () => (track.kind === "audio" ? [track] : []) };
  }
  async getDisplayMedia(constraints) {
    this.requests.push(constraints);
    const video = new FakeTrack("video");
    const audio = constraints.audio ? new FakeTrack("audio") : null;
    return { getVideoTracks: () => [video], getAudioTracks: () => (audio ? [audio] : []) };
  }
}

let devices;
let saved;
beforeEach(() => {
  devices = new FakeMediaDevices();
  saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { mediaDevices: devices }, configurable: true, writable: true });
});
afterEach(() => {
  if (saved) Object.defineProperty(globalThis, "navigator", saved);
  else delete globalThis.navigator;
});

test("the registry lists default devices first, adds named ones and keeps their identity", async () => {
  const registry = new DeviceRegistry();
  const changes = [];
  registry.setListener({ onDeviceRegistryChanged: () => changes.push(registry.getCameras().length) });
  assert.deepEqual(registry.getCameras().map((c) => c.getId()), ["default"]);
  assert.equal(registry.getMicrophones()[0].getLabel(), "Default Microphone");
  devices.devices = [{ kind: "videoinput", deviceId: "cam1", label: "" }, { kind: "audioinput", deviceId: "default", label: "x" },
                     { kind: "audioinput", deviceId: "mic1", label: "USB mic" }];
  await registry.refresh();
  const cam1 = registry.getCameras()[1];
  assert.equal(cam1.getId(), "cam1");
  assert.deepEqual(registry.getMicrophones().map((m) => m.getId()), ["default", "mic1"]);
  devices.devices[0] = { kind: "videoinput", deviceId: "cam1", label: "Front camera" }; // labels after permission
  await registry.refresh();
  assert.equal(registry.getCameras()[1], cam1);
  assert.equal(cam1.getLabel(), "Front camera");
  await registry.refresh(); // nothing changed: no call
  devices.devices = [];
  devices.dispatchEvent(new Event("devicechange")); // unplugged
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(registry.getCameras().map((c) => c.getId()), ["default"]);
  assert.deepEqual(changes, [2, 2, 1]);
  assert.ok(registry.getScreen());
});

test("a camera feeds its streams while acquired; release is idempotent", async () => {
  const registry = new DeviceRegistry();
  const camera = registry.getCameras()[0];
  const stream = new MediaStream("local", null, camera);
  assert.equal(stream.getVideoTrack(), null);
  await camera.acquire();
  const track = stream.getVideoTrack();
  assert.equal(track.kind, "video");
  assert.equal(devices.requests[0].video.facingMode, "user");
  await camera.acquire(); // already acquired: same track
  assert.equal(stream.getVideoTrack(), track);
  camera.release();
  camera.release();
  assert.equal(track.readyState, "ended");
  assert.equal(stream.getVideoTrack(), null);
});

test("changing the facing re-acquires a running camera: the stream gets a new track", async () => {
  const registry = new DeviceRegistry();
  const camera = registry.getCameras()[0];
  const stream = new MediaStream("local", null, camera);
  await camera.acquire();
  const first = stream.getVideoTrack();
  await camera.setFacing("environment");
  assert.notEqual(stream.getVideoTrack(), first);
  assert.equal(first.readyState, "ended");
  assert.equal(devices.requests.at(-1).video.facingMode, "environment");
  assert.throws(() => camera.setFacing("sideways"));
});

test("a camera that ends by itself is released forcibly and tells its listener", async () => {
  const registry = new DeviceRegistry();
  const camera = registry.getCameras()[0];
  const stream = new MediaStream("local", null, camera);
  const calls = [];
  camera.setListener({ onCameraReleasedForcibly: (c) => calls.push(c) });
  await camera.acquire();
  stream.getVideoTrack().end();
  assert.deepEqual(calls, [camera]);
  assert.equal(stream.getVideoTrack(), null);
});

test("a microphone that ends by itself is released forcibly and tells its listener", async () => {
  const registry = new DeviceRegistry();
  const microphone = registry.getMicrophones()[0];
  const stream = new MediaStream("local", microphone, null);
  const calls = [];
  microphone.setListener({ onMicrophoneReleasedForcibly: (m) => calls.push(m) });
  microphone.setMuted(true);
  await microphone.acquire();
  assert.equal(stream.getAudioTrack().enabled, false); // a muted microphone opens muted
  stream.getAudioTrack().end();
  assert.deepEqual(calls, [microphone]);
  assert.equal(stream.getAudioTrack(), null);
});

test("release while an acquire is in progress throws", async () => {
  const registry = new DeviceRegistry();
  const camera = registry.getCameras()[0];
  const acquiring = camera.acquire();
  assert.throws(() => camera.release(), /in progress/);
  await acquiring;
});

test("a muted microphone keeps its track, disabled", async () => {
  const registry = new DeviceRegistry();
  const microphone = registry.getMicrophones()[0];
  const stream = new MediaStream("local", microphone, null);
  microphone.setMuted(true);
  await microphone.acquire();
  assert.equal(stream.getAudioTrack().enabled, false);
  microphone.setMuted(false);
  assert.equal(stream.getAudioTrack().enabled, true);
  assert.deepEqual(devices.requests[0].audio, { echoCancellation: true, autoGainControl: true, noiseSuppression: true });
});

test("the screen supplies video (and audio when asked); stopping from the browser UI is forced", async () => {
  const registry = new DeviceRegistry();
  const screen = registry.getScreen();
  screen.setAudioCapturing(true);
  const stream = new MediaStream("local", screen, screen);
  const calls = [];
  screen.setListener({ onScreenReleasedForcibly: (s) => calls.push(s) });
  await screen.acquire();
  assert.equal(stream.getVideoTrack().contentHint, "text");
  assert.ok(stream.getAudioTrack());
  assert.throws(() => screen.setAudioCapturing(false)); // only while not acquired
  stream.getVideoTrack().end();
  assert.deepEqual(calls, [screen]);
  assert.equal(stream.getVideoTrack(), null);
  assert.equal(stream.getAudioTrack(), null);
});
