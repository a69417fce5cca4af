import assert from "node:assert/strict";
import { test } from "node:test";

import { SDK } from "./fakes.mjs";

const { dispatch, notify, SessionListener } = await import(`${SDK}listeners.js`);

function capturingConsole(fn) {
  const original = { info: console.info, error: console.error };
  const lines = [];
  console.info = (...args) => lines.push(["info", ...args]);
  console.error = (...args) => lines.push(["error", ...args]);
  try {
    fn();
  } finally {
    Object.assign(console, original);
  }
  return lines;
}

const participant = { getId: () => "p1", getName: () => "Ann" };

test("a listener method is called with the arguments", () => {
  const calls = [];
  dispatch({ onParticipantJoined: (p) => calls.push(p) }, "onParticipantJoined", participant);
  assert.deepEqual(calls, [participant]);
});

test("a missing callback falls back to the default, which logs", () => {
  const lines = capturingConsole(() => dispatch({}, "onParticipantJoined", participant));
  assert.deepEqual(lines, [["info", "MindSDK: onParticipantJoined", "p1"]]);
  const none = capturingConsole(() => dispatch(null, "onParticipantExited", participant));
  assert.equal(none[0][1], "MindSDK: onParticipantExited");
});

test("a throwing listener is logged and does not break dispatch", () => {
  const lines = capturingConsole(() => dispatch({ onParticipantJoined() { throw new Error("boom"); } },
                                                "onParticipantJoined", participant));
  assert.equal(lines[0][0], "error");
});

test("subclasses of SessionListener override only what they need", () => {
  const calls = [];
  class Mine extends SessionListener {
    onConferenceEnded(conference) { calls.push(conference); }
  }
  dispatch(new Mine(), "onConferenceEnded", "c");
  const lines = capturingConsole(() => dispatch(new Mine(), "onMeExpelled", { getId: () => "me" }));
  assert.deepEqual(calls, ["c"]);
  assert.equal(lines[0][1], "MindSDK: onMeExpelled");
});

test("device listeners are called only when they have the method", () => {
  const calls = [];
  notify({ onCameraReleasedForcibly: (camera) => calls.push(camera) }, "onCameraReleasedForcibly", "cam");
  notify({}, "onCameraReleasedForcibly", "cam");
  notify(null, "onCameraReleasedForcibly", "cam");
  assert.deepEqual(calls, ["cam"]);
});
