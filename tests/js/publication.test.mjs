// Publishing: one PeerConnection per media that follows its MediaStream (replaceTrack when a
// device changes, renegotiation when a kind starts or stops, unpublish when nothing is left).
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { FakeTrack, FakeWebSocket, ME, SDK, URI, conferenceJson, installBrowser, participantJson, recorder, until } from "./fakes.mjs";

const { Session } = await import(`${SDK}Session.js`);
const { SessionOptions } = await import(`${SDK}options.js`);
const { MediaStream } = await import(`${SDK}MediaStream.js`);

const SNAPSHOT = `GET /mind/${URI.split("/mind/")[1]}?detailed=true`;
let browser = null;
let session = null;

afterEach(() => {
  if (session) session._shutdown();
  if (browser) browser.restore();
  session = browser = null;
});

async function joinAs(role) {
  browser = installBrowser({ routes: { [SNAPSHOT]: { ...conferenceJson(), participants: [participantJson(ME, { role })] } } });
  const options = new SessionOptions();
  options.statisticsInterval = 60000;
  session = new Session(URI, "tok", options);
  const joining = session._join();
  await until(() => FakeWebSocket.instances.length === 1);
  const ws = FakeWebSocket.last();
  ws.receive({ type: "welcome", sessionId: "S", resumed: false, mediaReady: true, participant: participantJson(ME, { role }),
               conference: conferenceJson() });
  await joining;
  const events = recorder();
  session.setListener(events.listener);
  return { ws, me: session.getConference().getMe(), events };
}

async function answerPublish(ws, count, media = "primary") {
  await until(() => ws.sentOfType("publish").length === count, 1000, `publish #${count}`);
  const request = ws.sentOfType("publish").at(-1);
  assert.equal(request.media, media);
  ws.receive({ type: "answer", media, sdp: janusAnswer(request.sdp), id: request.id });
  return request;
}

async function answerUnpublish(ws, count, media = "primary") {
  await until(() => ws.sentOfType("unpublish").length === count, 1000, `unpublish #${count}`);
  const request = ws.sentOfType("unpublish").at(-1);
  assert.equal(request.media, media);
  ws.receive({ type: "unpublished", media, id: request.id });
}

/** Janus's answer: an m-line offered inactive is rejected (port 0). */
function janusAnswer(offer) {
  const mlines = offer.split("m=").slice(1);
  return "v=0\r\n" + mlines.map((section) => `m=${section.split(" ")[0]} ${/a=inactive/.test(section) ? 0 : 9}\r\n`).join("");
}

function localStream(audio = true, video = true) {
  const stream = new MediaStream("local");
  if (audio) stream._setTrack("audio", new FakeTrack("audio"));
  if (video) stream._setTrack("video", new FakeTrack("video"));
  return stream;
}

test("publishing camera and microphone: one offer with both kinds sending", async () => {
  const { ws, me } = await joinAs("speaker");
  const stream = localStream();
  me.setMediaStream(stream);
  const request = await answerPublish(ws, 1);
  assert.match(request.sdp, /m=audio[\s\S]*a=sendonly[\s\S]*m=video[\s\S]*a=sendonly/);
  const publication = session._publication("primary");
  await until(() => publication.published);
  assert.equal(publication.transceivers.audio.sender.track, stream.getAudioTrack());
  assert.equal(publication.transceivers.video.sender.track, stream.getVideoTrack());
  assert.equal(me.isStreamingAudio(), true);
  assert.equal(me.isStreamingVideo(), true);
  assert.equal(me.getMediaStream(), stream);
});

test("a new camera track is swapped in with replaceTrack, without renegotiating", async () => {
  const { ws, me } = await joinAs("speaker");
  const stream = localStream();
  me.setMediaStream(stream);
  await answerPublish(ws, 1);
  const publication = session._publication("primary");
  await until(() => publication.published);
  const pc = publication.pc;
  const newCamera = new FakeTrack("video");
  stream._setTrack("video", newCamera);
  await until(() => publication.transceivers.video.sender.track === newCamera, 1000, "replaceTrack");
  await publication._queue;
  assert.equal(publication.pc, pc);
  assert.equal(ws.sentOfType("publish").length, 1);
});

test("stopping the microphone renegotiates with audio inactive; restarting it publishes afresh", async () => {
  const { ws, me } = await joinAs("speaker");
  const stream = localStream();
  me.setMediaStream(stream);
  await answerPublish(ws, 1);
  const publication = session._publication("primary");
  await until(() => publication.published);
  const first = publication.pc;
  stream._setTrack("audio", null);
  const muted = await answerPublish(ws, 2);
  assert.match(muted.sdp, /m=audio 9\r\na=mid:0\r\na=inactive/);
  await until(() => first.transceivers[0].currentDirection === "stopped", 1000, "the rejected m-line");
  assert.equal(me.isStreamingAudio(), false);
  // The camera changing meanwhile leaves the rejected audio m-line alone.
  stream._setTrack("video", new FakeTrack("video"));
  await publication._queue;
  assert.equal(publication.pc, first);
  // Janus rejected the inactive m-line: the microphone comes back on a new PeerConnection.
  stream._setTrack("audio", new FakeTrack("audio"));
  await answerUnpublish(ws, 1);
  const back = await answerPublish(ws, 3);
  assert.equal(first.connectionState, "closed");
  assert.notEqual(publication.pc, first);
  assert.match(back.sdp, /m=audio 9\r\na=mid:0\r\na=sendonly[\s\S]*m=video 9\r\na=mid:1\r\na=sendonly/);
  await until(() => publication.published);
  assert.equal(me.isStreamingAudio(), true);
});

test("entering with the camera off: turning it on later publishes afresh, at once", async () => {
  const { ws, me } = await joinAs("speaker");
  const stream = localStream(true, false);
  me.setMediaStream(stream);
  const first = await answerPublish(ws, 1);
  assert.match(first.sdp, /m=video 9\r\na=mid:1\r\na=inactive/);
  const publication = session._publication("primary");
  await until(() => publication.published);
  stream._setTrack("video", new FakeTrack("video"));
  await answerUnpublish(ws, 1);
  const withCamera = await answerPublish(ws, 2);
  assert.match(withCamera.sdp, /m=video 9\r\na=mid:1\r\na=sendonly/);
  await until(() => publication.published);
  assert.equal(me.isStreamingVideo(), true);
});

test("no tracks or no stream: unpublish and close the PeerConnection", async () => {
  const { ws, me } = await joinAs("speaker");
  const stream = localStream(true, false);
  me.setMediaStream(stream);
  await answerPublish(ws, 1);
  const publication = session._publication("primary");
  await until(() => publication.published);
  const pc = publication.pc;
  me.setMediaStream(null);
  await until(() => ws.sentOfType("unpublish").length === 1, 1000, "unpublish");
  assert.equal(ws.sentOfType("unpublish")[0].media, "primary");
  assert.equal(pc.connectionState, "closed");
  assert.equal(me.isStreamingAudio(), false);
});

test("an attendee publishes nothing; a speaker no screen", async () => {
  const attendee = await joinAs("attendee");
  attendee.me.setMediaStream(localStream());
  await session._publication("primary")._queue;
  assert.equal(attendee.ws.sentOfType("publish").length, 0);
  assert.equal(attendee.me.isStreamingVideo(), false);
  session._shutdown();
  browser.restore();
  const speaker = await joinAs("speaker");
  speaker.me.setSecondaryMediaStream(localStream(false, true));
  await session._publication("secondary")._queue;
  assert.equal(speaker.ws.sentOfType("publish").length, 0);
  assert.equal(speaker.me.isStreamingSecondaryVideo(), false);
});

test("the server stopping a publication for a role change; publishing resumes when the role allows", async () => {
  const { ws, me, events } = await joinAs("speaker");
  me.setMediaStream(localStream());
  await answerPublish(ws, 1);
  await until(() => session._publication("primary").published);
  ws.receive({ type: "updated", location: `/participants/${ME}`, resource: participantJson(ME, { role: "attendee" }) });
  ws.receive({ type: "unpublished", media: "primary", reason: "role" });
  assert.deepEqual(events.named("onMePublicationStopped").map((e) => [e[2], e[3]]), [["primary", "role"]]);
  assert.equal(session._publication("primary").pc, null);
  assert.equal(me.isStreamingVideo(), false);
  ws.receive({ type: "updated", location: `/participants/${ME}`, resource: participantJson(ME, { role: "speaker" }) });
  assert.equal(events.named("onMeRoleChanged").length, 2);
  await answerPublish(ws, 2);
  assert.equal(me.isStreamingVideo(), true);
});

test("a forbidden publish is not retried", async () => {
  const { ws, me } = await joinAs("speaker");
  me.setMediaStream(localStream());
  await until(() => ws.sentOfType("publish").length === 1);
  const request = ws.sentOfType("publish")[0];
  ws.receive({ type: "error", code: "forbidden", message: "no", id: request.id });
  await until(() => session._publication("primary").blocked === "forbidden", 1000, "blocked");
  assert.equal(me.isStreamingAudio(), false);
  assert.equal(session._publication("primary").pc, null);
});
