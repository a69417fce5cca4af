// Notification -> participant state and listener calls (participants.js applyNotification).
import assert from "node:assert/strict";
import { test } from "node:test";

import { APP, BOB, CAROL, CONF, ME, SDK, conferenceJson, participantJson } from "./fakes.mjs";

const { Conference, Me, applyNotification } = await import(`${SDK}participants.js`);

function model() {
  const session = { restURL: "http://h", token: "t" };
  const me = new Me(session, participantJson(ME));
  const conference = new Conference(session, conferenceJson(), me);
  return { conference, me };
}

const apply = (conference, type, location, resource) => applyNotification(conference, { type, location, resource }, APP);
const names = (calls) => calls.map((call) => call[0]);

test("a participant coming online joins; going offline exits; the live array follows", () => {
  const { conference } = model();
  const list = conference.getParticipants();
  assert.deepEqual(names(apply(conference, "created", `/participants/${BOB}`, participantJson(BOB, { online: false }))), []);
  assert.equal(list.length, 0);
  const joined = apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB));
  assert.deepEqual(names(joined), ["onParticipantJoined"]);
  assert.equal(joined[0][1].getId(), BOB);
  assert.equal(conference.getParticipants(), list); // the same array object, updated in place
  assert.deepEqual(list.map((p) => p.getId()), [BOB]);
  assert.deepEqual(names(apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB, { online: false }))),
                   ["onParticipantExited"]);
  assert.equal(list.length, 0);
  assert.equal(conference.getParticipantById(BOB).isOnline(), false);
});

test("media, secondary media, name, role and priority changes each have their callback", () => {
  const { conference } = model();
  apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB));
  const media = apply(conference, "updated", `/participants/${BOB}`,
                      participantJson(BOB, { media: { audio: true, video: false } }));
  assert.deepEqual(names(media), ["onParticipantMediaChanged"]);
  const bob = conference.getParticipantById(BOB);
  assert.equal(bob.isStreamingAudio(), true);
  assert.equal(bob.isStreamingVideo(), false);
  const everything = apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB, {
    media: { audio: true, video: false }, secondaryMedia: { audio: false, video: true },
    name: "Robert", role: "presenter", priority: 5,
  }));
  assert.deepEqual(names(everything).sort(), ["onParticipantNameChanged", "onParticipantPriorityChanged",
    "onParticipantRoleChanged", "onParticipantSecondaryMediaChanged"]);
  assert.equal(bob.getName(), "Robert");
  assert.equal(bob.getRole(), "presenter");
  assert.equal(bob.isStreamingSecondaryVideo(), true);
  // The same representation again changes nothing.
  assert.deepEqual(apply(conference, "updated", `/participants/${BOB}`, bob.toJSON()), []);
});

test("a joining participant reports only 'joined', with its current media", () => {
  const { conference } = model();
  const calls = apply(conference, "updated", `/participants/${CAROL}`,
                      participantJson(CAROL, { media: { audio: true, video: true } }));
  assert.deepEqual(names(calls), ["onParticipantJoined"]);
  assert.equal(calls[0][1].isStreamingVideo(), true);
});

test("deleting an online participant exits it and forgets it", () => {
  const { conference } = model();
  apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB));
  assert.deepEqual(names(apply(conference, "deleted", `/participants/${BOB}`, null)), ["onParticipantExited"]);
  assert.equal(conference.getParticipantById(BOB), undefined);
  assert.deepEqual(apply(conference, "deleted", `/participants/${BOB}`, null), []);
});

test("changes of me: role/name/priority callbacks, and my own deletion means expelled", () => {
  const { conference, me } = model();
  assert.equal(conference.getParticipantById(ME), me);
  const calls = apply(conference, "updated", `/participants/${ME}`, participantJson(ME, { role: "attendee", name: "X" }));
  assert.deepEqual(names(calls).sort(), ["onMeNameChanged", "onMeRoleChanged"]);
  assert.equal(me.getRole(), "attendee");
  assert.deepEqual(names(apply(conference, "deleted", `/participants/${ME}`, null)), ["_expelled"]);
  assert.equal(conference.getParticipants().length, 0); // I am never in my own list
});

test("conference rename and recording start/stop", () => {
  const { conference } = model();
  assert.deepEqual(names(apply(conference, "updated", "/", conferenceJson({ recording: { started: true } }))),
                   ["onConferenceRecordingStarted"]);
  assert.equal(conference.isRecording(), true);
  assert.deepEqual(names(apply(conference, "updated", "/", conferenceJson({ name: "Retro" }))),
                   ["onConferenceNameChanged", "onConferenceRecordingStopped"]);
  assert.equal(conference.getName(), "Retro");
  assert.deepEqual(names(apply(conference, "deleted", "/", null)), ["_ended"]);
});

test("messages from a participant, from the application, and my own broadcast", () => {
  const { conference, me } = model();
  apply(conference, "updated", `/participants/${BOB}`, participantJson(BOB));
  const message = (sentBy, text) => ({ id: "m", sentTo: CONF, sentBy, sentAt: 1, text });
  const fromBob = apply(conference, "created", "/messages/m1", message(BOB, "hi"));
  assert.deepEqual(fromBob.map((c) => [c[0], c[2], c[3].getId()]), [["onMeReceivedMessageFromParticipant", "hi", BOB]]);
  assert.equal(fromBob[0][1], me);
  assert.deepEqual(fromBob[0][4], message(BOB, "hi")); // extension: the message itself (sentTo tells private ones)
  assert.deepEqual(apply(conference, "created", "/messages/m2", message(APP, "note")).map((c) => [c[0], c[2]]),
                   [["onMeReceivedMessageFromApplication", "note"]]);
  assert.deepEqual(apply(conference, "created", "/messages/m3", message(ME, "mine")), []);
});

test("extension: transcription notifications update the state and reach the listener", () => {
  const { conference } = model();
  const calls = apply(conference, "updated", "/transcription", { started: true });
  assert.deepEqual(calls.map((c) => [c[0], c[2], c[3]]), [["onConferenceTranscription", { started: true }, "/transcription"]]);
  assert.equal(conference.isTranscribing(), true);
  apply(conference, "updated", "/transcription", { started: false });
  assert.equal(conference.isTranscribing(), false);
});

test("unknown locations are ignored", () => {
  const { conference } = model();
  assert.deepEqual(apply(conference, "updated", "/streamings/x", {}), []);
  assert.deepEqual(applyNotification(conference, null, APP), []);
});
