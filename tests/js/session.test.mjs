// The session's state machine with fake browser APIs: joining, the notification backlog, the
// subscription's mid mapping, close codes, reconnecting and resuming, keepalive, lagging.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import {
  BOB, CAROL, CONF, FakeRTCPeerConnection, FakeWebSocket, ME, SDK, URI, conferenceJson, installBrowser, offerSdp,
  participantJson, recorder, until,
} from "./fakes.mjs";

const { Session } = await import(`${SDK}Session.js`);
const { SessionOptions } = await import(`${SDK}options.js`);

const SNAPSHOT = `GET /mind/${URI.split("/mind/")[1]}?detailed=true`;
let browser = null;
const sessions = [];

afterEach(() => {
  for (const session of sessions.splice(0)) session._shutdown();
  if (browser) browser.restore();
  browser = null;
});

function snapshot(participants = [participantJson(ME), participantJson(BOB)]) {
  return { ...conferenceJson(), transcription: { started: false }, participants };
}

function welcome(fields = {}) {
  return { type: "welcome", sessionId: "S1", resumed: false, mediaReady: true, participant: participantJson(ME),
           conference: conferenceJson(), ...fields };
}

async function joined({ routes = {}, beforeJoin = null, welcomeFields = {}, options = null } = {}) {
  browser = installBrowser({ routes: { [SNAPSHOT]: snapshot(), ...routes } });
  if (beforeJoin) beforeJoin(browser);
  const opts = options || new SessionOptions();
  opts.statisticsInterval = 60000;
  const session = new Session(URI, "secret-token", opts);
  sessions.push(session);
  const joining = session._join();
  await until(() => FakeWebSocket.instances.length === 1, 1000, "the socket");
  const ws = FakeWebSocket.last();
  ws.receive(welcome(welcomeFields));
  await joining;
  const events = recorder();
  session.setListener(events.listener);
  return { session, ws, events };
}

function reply(ws, type, fields) {
  const request = ws.sent.filter((m) => m.type === type).at(-1);
  assert.ok(request, `a ${type} request was sent`);
  ws.receive({ ...fields, id: request.id });
}

test("joining opens the socket with the token, loads the snapshot and remembers the session", async () => {
  const { session, ws } = await joined();
  assert.equal(ws.url, `ws://example.test/mind/${URI.split("/mind/")[1]}/session?access_token=secret-token`);
  assert.equal(browser.fetch.calls[0].init.headers.Authorization, "Bearer secret-token");
  const conference = session.getConference();
  assert.equal(conference.getId(), CONF);
  assert.equal(conference.getMe().getId(), ME);
  assert.deepEqual(conference.getParticipants().map((p) => p.getId()), [BOB]);
  assert.equal(session.getState(), "normal");
  assert.equal(JSON.parse(browser.storage.getItem(`mind.session.${CONF}`)).sessionId, "S1");
});

test("a refused session rejects the join", async () => {
  browser = installBrowser({ routes: { [SNAPSHOT]: snapshot() } });
  const session = new Session(URI, "bad", new SessionOptions());
  const joining = session._join();
  await until(() => FakeWebSocket.instances.length === 1);
  FakeWebSocket.last().serverClose(1006);
  await assert.rejects(joining, /refused/);
});

test("notifications that arrive before the snapshot are applied after it", async () => {
  browser = installBrowser({ routes: { [SNAPSHOT]: snapshot() } });
  const session = new Session(URI, "t", new SessionOptions());
  sessions.push(session);
  const joining = session._join();
  await until(() => FakeWebSocket.instances.length === 1);
  const ws = FakeWebSocket.last();
  ws.receive(welcome());
  ws.receive({ type: "updated", location: `/participants/${CAROL}`, resource: participantJson(CAROL) });
  ws.receive({ type: "updated", location: `/participants/${BOB}`, resource: participantJson(BOB, { name: "Robert" }) });
  await joining;
  const conference = session.getConference();
  assert.deepEqual(conference.getParticipants().map((p) => p.getId()).sort(), [BOB, CAROL].sort());
  assert.equal(conference.getParticipantById(BOB).getName(), "Robert");
});

test("subscription offers are answered; mids map to participants' streams, also when reused", async () => {
  const { session, ws } = await joined();
  const streams = [{ mid: "0", kind: "audio", participantId: BOB, media: "primary" },
                   { mid: "1", kind: "video", participantId: BOB, media: "primary" }];
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams });
  await until(() => ws.sentOfType("answer").length === 1, 1000, "the answer");
  const pc = FakeRTCPeerConnection.instances.at(-1);
  const bob = session.getConference().getParticipantById(BOB);
  const video = pc.getTransceivers().find((t) => t.mid === "1").receiver.track;
  assert.equal(bob.getMediaStream().getVideoTrack(), video);
  assert.equal(bob.getMediaStream().getAudioLevel(), 0.5); // from the receiver's synchronization sources
  assert.equal(bob.getSecondaryMediaStream().getVideoTrack(), null);
  // Bob stops; Janus reuses mid 1 for Carol's screen share (Carol not known yet).
  const next = [{ mid: "1", kind: "video", participantId: CAROL, media: "secondary" }];
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams: next });
  await until(() => ws.sentOfType("answer").length === 2, 1000, "the second answer");
  assert.equal(FakeRTCPeerConnection.instances.at(-1), pc); // one subscription PeerConnection
  assert.equal(bob.getMediaStream().getVideoTrack(), null);
  assert.equal(bob.getMediaStream().getAudioTrack(), null);
  const carol = session.getConference().getParticipantById(CAROL);
  assert.equal(carol.getSecondaryMediaStream().getVideoTrack(), video);
  assert.equal(carol.isOnline(), false); // only her notification makes her join
});

test("a fresh subscription offer is answered on a new PeerConnection", async () => {
  const { session, ws } = await joined();
  const streams = [{ mid: "0", kind: "audio", participantId: BOB, media: "primary" }];
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams, fresh: true });
  await until(() => ws.sentOfType("answer").length === 1, 1000, "the answer");
  const first = FakeRTCPeerConnection.instances.at(-1);
  // The server's subscription failed and was re-made: the old PeerConnection belongs to the old one.
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams, fresh: true });
  await until(() => ws.sentOfType("answer").length === 2, 1000, "the second answer");
  const second = FakeRTCPeerConnection.instances.at(-1);
  assert.notEqual(second, first);
  assert.equal(first.connectionState, "closed");
  const bob = session.getConference().getParticipantById(BOB);
  assert.equal(bob.getMediaStream().getAudioTrack(), second.getTransceivers().find((t) => t.mid === "0").receiver.track);
});

for (const [code, callback] of [[4000, "onConferenceEnded"], [4001, "onMeExpelled"], [4002, "onSessionEndedElsewhere"]]) {
  test(`close code ${code} ends the session with ${callback}`, async () => {
    const { session, ws, events } = await joined();
    ws.serverClose(code);
    assert.equal(events.events.length, 1);
    const [name, argument] = events.events[0];
    assert.equal(name, callback);
    const expected = { onConferenceEnded: session.getConference(), onMeExpelled: session.getConference().getMe(),
                       onSessionEndedElsewhere: session }[callback];
    assert.equal(argument, expected);
    assert.equal(browser.storage.getItem(`mind.session.${CONF}`), null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(FakeWebSocket.instances.length, 1); // no reconnect
  });
}

test("a lost socket: FAILED, then a resume with the session id; missed changes are caught up", async () => {
  const { session, ws, events } = await joined();
  ws.serverClose(1006);
  assert.equal(session.getState(), "failed");
  assert.deepEqual(events.named("onSessionStateChanged").map((e) => e[1]), [session]);
  await until(() => FakeWebSocket.instances.length === 2, 1000, "the reconnect");
  const again = FakeWebSocket.last();
  assert.match(again.url, /&session=S1$/);
  // Meanwhile Bob left and Carol came: the snapshot after the resume says so.
  browser.fetch.calls.length = 0;
  const routes = { [SNAPSHOT]: snapshot([participantJson(ME), participantJson(CAROL)]) };
  globalThis.fetch = (await import("./fakes.mjs")).fakeFetch(routes);
  again.receive(welcome({ resumed: true }));
  assert.equal(session.getState(), "normal");
  await until(() => events.named("onParticipantJoined").length === 1, 1000, "the catch-up");
  assert.equal(events.named("onParticipantExited")[0][1].getId(), BOB);
  assert.equal(events.named("onParticipantJoined")[0][1].getId(), CAROL);
  assert.equal(session.getServerSessionId(), "S1");
});

test("a resume refused after the grace period starts a new server session and publishes again", async () => {
  const { session, ws } = await joined();
  const { MediaStream } = await import(`${SDK}MediaStream.js`);
  const { FakeTrack } = await import("./fakes.mjs");
  const stream = new MediaStream("local");
  stream._setTrack("video", new FakeTrack("video"));
  session.getConference().getMe().setMediaStream(stream);
  await until(() => ws.sentOfType("publish").length === 1);
  reply(ws, "publish", { type: "answer", media: "primary", sdp: "v=0\r\n" });
  const first = session._publication("primary").pc;
  await until(() => session._publication("primary").published);
  ws.serverClose(1006);
  await until(() => FakeWebSocket.instances.length === 2);
  const again = FakeWebSocket.last();
  again.receive(welcome({ sessionId: "S2", resumed: false }));
  assert.equal(first.connectionState, "closed"); // nothing of it is left on the server
  await until(() => again.sentOfType("publish").length === 1, 1000, "the new publish");
  assert.notEqual(session._publication("primary").pc, first);
  assert.equal(session.getServerSessionId(), "S2");
  assert.equal(JSON.parse(browser.storage.getItem(`mind.session.${CONF}`)).sessionId, "S2");
});

test("a refused reconnect with a dead token means expelled", async () => {
  const { ws, events } = await joined({ routes: { [`GET /mind/${URI.split("/mind/")[1]}/participants/${ME}`]: [401, null] } });
  ws.serverClose(1006);
  await until(() => FakeWebSocket.instances.length === 2);
  FakeWebSocket.last().serverClose(1006); // handshake refused
  await until(() => events.named("onMeExpelled").length === 1, 1000, "onMeExpelled");
});

test("a refused reconnect with a valid token keeps trying", async () => {
  const { ws } = await joined({ routes: { [`GET /mind/${URI.split("/mind/")[1]}/participants/${ME}`]: participantJson(ME) } });
  ws.serverClose(1006);
  await until(() => FakeWebSocket.instances.length === 2);
  FakeWebSocket.last().serverClose(1006);
  await until(() => FakeWebSocket.instances.length === 3, 3000, "another attempt");
});

test("an unanswered ping drops the socket and reconnects", async () => {
  const options = new SessionOptions();
  options.pingInterval = 30;
  const { session, ws } = await joined({ options });
  await until(() => ws.sentOfType("ping").length >= 1, 1000, "a ping");
  await until(() => FakeWebSocket.instances.length === 2, 1000, "the reconnect after the missing pong");
  assert.equal(ws.closedWith !== null, true);
  assert.match(FakeWebSocket.last().url, /&session=S1/);
  assert.equal(session.getState(), "failed");
});

test("a reloaded page resumes its stored session and asks the server to restart its media", async () => {
  const { session, ws } = await joined({
    beforeJoin: (b) => b.storage.setItem(`mind.session.${CONF}`, JSON.stringify({ token: "x", sessionId: "OLD" })),
  });
  session._shutdown();
  assert.doesNotMatch(ws.url, /session=/); // the stored entry was for another token: not used

  browser.restore();
  browser = installBrowser({ routes: { [SNAPSHOT]: snapshot() } });
  const { saveResume } = await import(`${SDK}storage.js`);
  saveResume(CONF, "tok", ME, "S1");
  const resumed = new Session(URI, "tok", new SessionOptions());
  sessions.push(resumed);
  const joining = resumed._join();
  await until(() => FakeWebSocket.instances.length === 1);
  const socket = FakeWebSocket.last();
  assert.match(socket.url, /&session=S1$/);
  socket.receive(welcome({ resumed: true }));
  await joining;
  await until(() => socket.sentOfType("restartMedia").length === 1, 1000, "restartMedia");
  // A stale offer (for the old page) before the reply is not answered.
  const streams = [{ mid: "0", kind: "video", participantId: BOB, media: "primary" }];
  socket.receive({ type: "offer", sdp: offerSdp(streams), streams });
  reply(socket, "restartMedia", { type: "mediaRestarted" });
  socket.receive({ type: "offer", sdp: offerSdp(streams), streams });
  await until(() => socket.sentOfType("answer").length === 1, 1000, "the answer to the fresh offer");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(socket.sentOfType("answer").length, 1);
});

test("a publish renegotiation waiting too long makes the session LAGGING until answered", async () => {
  const { session, ws } = await joined();
  const states = [];
  session.setListener({ onSessionStateChanged: (s) => states.push(s.getState()) });
  session._lagAfter = 20;
  const { MediaStream } = await import(`${SDK}MediaStream.js`);
  const { FakeTrack } = await import("./fakes.mjs");
  const stream = new MediaStream("local");
  stream._setTrack("audio", new FakeTrack("audio"));
  session.getConference().getMe().setMediaStream(stream);
  await until(() => session.getState() === "lagging", 1000, "lagging");
  reply(ws, "publish", { type: "answer", media: "primary", sdp: "v=0\r\n" });
  await until(() => session.getState() === "normal", 1000, "normal again");
  assert.deepEqual(states, ["lagging", "normal"]);
});

test("mediaReset closes every PeerConnection; republish publishes again", async () => {
  const { session, ws } = await joined();
  const { MediaStream } = await import(`${SDK}MediaStream.js`);
  const { FakeTrack } = await import("./fakes.mjs");
  const stream = new MediaStream("local");
  stream._setTrack("video", new FakeTrack("video"));
  session.getConference().getMe().setMediaStream(stream);
  await until(() => ws.sentOfType("publish").length === 1);
  reply(ws, "publish", { type: "answer", media: "primary", sdp: "v=0\r\n" });
  await until(() => session._publication("primary").published);
  const streams = [{ mid: "0", kind: "video", participantId: BOB, media: "primary" }];
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams });
  await until(() => ws.sentOfType("answer").length === 1);
  const pcs = [session._publication("primary").pc, session._subscription.pc];
  ws.receive({ type: "mediaReset", reason: "media-server-lost" });
  assert.deepEqual(pcs.map((pc) => pc.connectionState), ["closed", "closed"]);
  assert.equal(session.getConference().getParticipantById(BOB).getMediaStream().getVideoTrack(), null);
  ws.receive({ type: "republish" });
  await until(() => ws.sentOfType("publish").length === 2, 1000, "the publish after republish");
});

test("exit2 leaves: `leave` is sent, everything closes, nothing reconnects", async () => {
  const { session, ws, events } = await joined();
  session._exit();
  assert.equal(ws.sentOfType("leave").length, 1);
  assert.equal(ws.closedWith, 1000);
  session._exit(); // idempotent
  assert.equal(browser.storage.getItem(`mind.session.${CONF}`), null);
  assert.deepEqual(events.events, []);
});

test("Janus's layer events (substream and temporal apart) add up to the forwarded layer", async () => {
  const { session, ws } = await joined();
  const streams = [{ mid: "1", kind: "video", participantId: BOB, media: "primary" }];
  ws.receive({ type: "offer", sdp: offerSdp(streams), streams });
  await until(() => ws.sentOfType("answer").length === 1);
  const bob = session.getConference().getParticipantById(BOB);
  assert.equal(session.getVideoLayer(bob), null);
  ws.receive({ type: "layer", mid: "1", substream: 2, temporal: null });
  ws.receive({ type: "layer", mid: "1", substream: null, temporal: 1 });
  assert.deepEqual(session.getVideoLayer(bob), { substream: 2, temporal: 1 });
  await assert.rejects(session.setVideoLayer(session.getConference().getParticipantById(CAROL) ||
                                             session.getConference()._participant(CAROL)), /not being received/);
  const configuring = session.setVideoLayer(bob, "primary", 0);
  const request = ws.sentOfType("configure")[0];
  assert.deepEqual([request.mid, request.substream], ["1", 0]);
  ws.receive({ type: "configured", mid: "1", substream: 0, id: request.id });
  assert.equal((await configuring).type, "configured");
});
