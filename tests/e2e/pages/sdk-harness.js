// Drives the Mind SDK look-alike for the e2e tests: `window.harness` is called through
// page.evaluate(); every listener callback is recorded in `harness.events`.
import * as Mind from "/static/js/mind/index.js";

const { MindSDK, SessionListener } = Mind;

function describe(value) {
  if (value && typeof value.getId === "function" && typeof value.isStreamingAudio === "function") {
    return { id: value.getId(), name: value.getName(), role: value.getRole(),
             audio: value.isStreamingAudio(), video: value.isStreamingVideo(),
             secondaryAudio: value.isStreamingSecondaryAudio(), secondaryVideo: value.isStreamingSecondaryVideo() };
  }
  if (value && typeof value.getId === "function" && typeof value.isRecording === "function") {
    return { id: value.getId(), name: value.getName(), recording: value.isRecording() };
  }
  if (value && typeof value.getState === "function") return { session: value.getId(), state: value.getState() };
  return value === undefined ? null : value;
}

class RecordingListener extends SessionListener {}
for (const name of Object.getOwnPropertyNames(SessionListener.prototype)) {
  if (name === "constructor") continue;
  RecordingListener.prototype[name] = function (...args) {
    harness.events.push({ name, args: args.map(describe), at: Date.now() });
  };
}

const harness = {
  Mind,
  events: [],
  session: null,
  stream: null,
  screenStream: null,

  async join(conferenceURI, token) {
    await MindSDK.initialize();
    const session = await MindSDK.join(conferenceURI, token);
    session.setListener(new RecordingListener());
    this.session = session;
    return this.state();
  },

  async publish({ audio = true, video = true, adaptivity = 1, width = 640, height = 360 } = {}) {
    const registry = MindSDK.getDeviceRegistry();
    const microphone = audio ? registry.getMicrophones()[0] : null;
    const camera = video ? registry.getCameras()[0] : null;
    if (camera) {
      camera.setAdaptivity(adaptivity);
      await camera.setResolution(width, height);
    }
    this.stream = MindSDK.createMediaStream(microphone, camera);
    const preview = document.createElement("video");
    preview.id = "local-video";
    document.getElementById("local").appendChild(preview);
    preview.mediaStream = this.stream;
    if (microphone) await microphone.acquire();
    if (camera) await camera.acquire();
    this.session.getConference().getMe().setMediaStream(this.stream);
    return this.state();
  },

  stopAudio() {
    MindSDK.getDeviceRegistry().getMicrophones()[0].release();
    return this.state();
  },

  async startAudio() {
    await MindSDK.getDeviceRegistry().getMicrophones()[0].acquire();
    return this.state();
  },

  async shareScreen() {
    const screen = MindSDK.getDeviceRegistry().getScreen();
    await screen.acquire();
    this.screenStream = MindSDK.createMediaStream(null, screen);
    this.session.getConference().getMe().setSecondaryMediaStream(this.screenStream);
    return this.state();
  },

  stopScreen() {
    this.session.getConference().getMe().setSecondaryMediaStream(null);
    MindSDK.getDeviceRegistry().getScreen().release();
    return this.state();
  },

  /** Shows a participant's primary or secondary stream in a <video id="video-<media>-<id>">. */
  watch(participantId, media = "primary") {
    const participant = this.session.getConference().getParticipantById(participantId);
    if (!participant) throw new Error(`no participant ${participantId}`);
    const id = `video-${media}-${participantId}`;
    let element = document.getElementById(id);
    if (!element) {
      element = document.createElement("video");
      element.id = id;
      document.getElementById("remote").appendChild(element);
    }
    element.mediaStream = media === "primary" ? participant.getMediaStream() : participant.getSecondaryMediaStream();
    return id;
  },

  /** What the <video> shows and what the subscription decoded for that stream (getStats). */
  async videoOf(participantId, media = "primary") {
    const element = document.getElementById(`video-${media}-${participantId}`);
    const subscription = this.session._subscription;
    const mid = subscription.midOf(participantId, media, "video");
    let framesDecoded = 0;
    let frameHeight = 0;
    let audioSamples = 0;
    const audioMid = subscription.midOf(participantId, media, "audio");
    if (subscription.pc) {
      const report = await subscription.pc.getStats();
      for (const stat of report.values()) {
        if (stat.type !== "inbound-rtp") continue;
        if (mid != null && stat.mid === mid && stat.kind === "video") {
          framesDecoded = stat.framesDecoded || 0;
          frameHeight = stat.frameHeight || 0;
        }
        if (audioMid != null && stat.mid === audioMid && stat.kind === "audio") audioSamples = stat.totalSamplesReceived || 0;
      }
    }
    return {
      mid, audioMid, framesDecoded, frameHeight, audioSamples,
      videoWidth: element ? element.videoWidth : 0,
      videoHeight: element ? element.videoHeight : 0,
      paused: element ? element.paused : true,
      hasVideoTrack: Boolean(element && element.srcObject && element.srcObject.getVideoTracks().length),
    };
  },

  /** Statistics as the SDK exposes them, for a participant's stream, mine, and the session's. */
  statistics(participantId = null, media = "primary") {
    const session = this.session;
    const plain = (stats) => Object.fromEntries(Object.entries(stats));
    const result = { session: plain(session.getStatistics()), qos: session.getQualitySample() };
    if (participantId) {
      const participant = session.getConference().getParticipantById(participantId);
      const stream = media === "primary" ? participant.getMediaStream() : participant.getSecondaryMediaStream();
      result.video = plain(stream.getVideoStatistics());
      result.audio = plain(stream.getAudioStatistics());
      result.audioLevel = stream.getAudioLevel();
    }
    if (this.stream) {
      result.localVideo = plain(this.stream.getVideoStatistics());
      result.localAudio = plain(this.stream.getAudioStatistics());
    }
    return result;
  },

  /** A network blip: the socket goes, the PeerConnections stay. */
  dropSocket() {
    this.session._ws.close();
    return true;
  },

  /** Re-acquires the camera (a device switch): returns what the publication looks like. */
  async switchCamera() {
    const camera = MindSDK.getDeviceRegistry().getCameras()[0];
    const publication = this.session._publication("primary");
    const before = { pc: publication.pc, track: publication.transceivers.video.sender.track };
    await camera.setFacing(camera.facing === "user" ? "environment" : "user");
    await publication._queue;
    return {
      samePeerConnection: publication.pc === before.pc,
      newTrack: publication.transceivers.video.sender.track !== before.track,
      trackLive: publication.transceivers.video.sender.track.readyState === "live",
    };
  },

  setLayer(participantId, substream, media = "primary") {
    const participant = this.session.getConference().getParticipantById(participantId);
    return this.session.setVideoLayer(participant, media, substream);
  },

  layerOf(participantId, media = "primary") {
    const participant = this.session.getConference().getParticipantById(participantId);
    return this.session.getVideoLayer(participant, media);
  },

  sendToAll(text) { return this.session.getConference().getMe().sendMessageToAll(text); },
  sendToParticipant(text, participantId) {
    const participant = this.session.getConference().getParticipantById(participantId);
    return this.session.getConference().getMe().sendMessageToParticipant(text, participant);
  },

  setRole(participantId, role) {
    return this.session.getConference().getParticipantById(participantId).setRole(role);
  },
  setMyName(name) { return this.session.getConference().getMe().setName(name); },
  startRecording() { return this.session.getConference().startRecording(); },
  stopRecording() { return this.session.getConference().stopRecording(); },

  exit() {
    MindSDK.exit2(this.session);
    return true;
  },

  eventsNamed(name) {
    return this.events.filter((event) => event.name === name);
  },

  state() {
    const session = this.session;
    if (!session) return null;
    const conference = session.getConference();
    const me = conference.getMe();
    return {
      sessionId: session.getId(),
      serverSessionId: session.getServerSessionId(),
      state: session.getState(),
      conferenceId: conference.getId(),
      recording: conference.isRecording(),
      me: describe(me),
      participants: conference.getParticipants().map(describe),
    };
  },
};

window.harness = harness;
window.harnessReady = true;
