// The call: joins the conference with the SDK, publishes camera and microphone, and keeps the
// video area, controls, chat, people panel, captions, recording indicator and banners in step with
// the session's events. Host controls go to the server (RoomApi), which tells the engine.

import { MindSDK, SessionOptions, SessionState } from "../mind/index.js";
import { RoomEncryption } from "../e2ee/room.js";
import { mediaEffects } from "../effects/index.js";
import { Whiteboard } from "../whiteboard/whiteboard.js";
import { Breakout } from "./breakout.js";
import { Captions } from "./captions.js";
import { Chat } from "./chat.js";
import { LevelMeter, toggleLabel } from "./devices.js";
import { _, fmt } from "./i18n.js";
import { setIcon } from "./icons.js";
import { People } from "./people.js";
import { decodeInstruction, decodeSignal, encodeSignal, REACTIONS } from "./protocol.js";
import { QualityNotices } from "./quality.js";
import * as store from "./store.js";
import { VideoArea } from "./tiles.js";
import { $, clockTime, closeMenus, confirmDialog, elapsed, h, toast, toggleMenu } from "./ui.js";

const MODERATORS = new Set(["host", "alternative_host", "co_host"]);
const HOSTS = new Set(["host", "alternative_host"]);
const LOBBY_POLL_MS = 3000;
const TICKET_RENEW_MS = 5 * 60 * 1000;

export class Call {
  constructor({ config, api, devices, answer, rejoined = false }) {
    this.config = config;
    this.rejoined = rejoined; // a reload of a tab that was in the call: the entry settings are not applied again
    this.api = api;
    this.devices = devices;
    this.answer = answer;
    this.ticket = answer.ticket;
    this.api.onTicket = (ticket) => { // renewed tickets (they expire after some minutes)
      this.ticket = ticket;
      store.save(this.config.meetingId, { ticket });
    };
    this.role = answer.role;
    this.session = null;
    this.conference = null;
    this.me = null;
    this.hands = new Set();
    this.handUp = false;
    this.sharing = false;
    this.shareStream = null;
    this.localStream = null;
    this.meter = new LevelMeter();
    this.roles = new Map(); // media participant id -> meeting role (from /roster)
    this.lobbyKnown = new Set();
    this.timers = [];
    this.leaving = false;
    this.moving = false; // between two conferences (breakout rooms): the old session's end is expected
    this.panel = null;
  }

  get canModerate() { return MODERATORS.has(this.role); }
  get isHost() { return HOSTS.has(this.role); }

  // --- start ------------------------------------------------------------------------------------

  async start() {
    $("call").hidden = false;
    store.save(this.config.meetingId, { ticket: this.ticket });
    this.video = new VideoArea({ wrap: $("stage-wrap"), grid: $("grid"), stage: $("stage"), stageVideo: $("stage-video"),
                                 stageLabel: $("stage-label") });
    this.video.routeAudio = (element) => this.devices.routeAudio(element);
    this.chat = new Chat({ log: $("chat-log"), form: $("chat-form"), input: $("chat-input"), send: $("chat-send"),
                           to: $("chat-to"), badge: $("chat-badge"), isOpen: () => this.panel === "chat" });
    this.chat.onSend = (text, toId) => this.sendChat(text, toId);
    this.people = new People(
      { list: $("people-list"), count: $("people-count"), badge: $("people-badge"), lobby: $("lobby"),
        lobbyList: $("lobby-list"), lobbyCount: $("lobby-count"), hostTools: $("host-tools"), endAll: $("end-all-panel") },
      { act: (id, action, name) => this.hostAction(id, action, name), admit: (id) => this.admit(id),
        deny: (id) => this.deny(id), pin: (id) => this.video.togglePin(id) });
    this.whiteboard = new Whiteboard({ url: `/j/${this.config.meetingId}/whiteboard`, csrfToken: this.config.csrfToken,
                                       ticket: () => this.ticket });
    this.captions = new Captions({ box: $("captions"), indicator: $("transcribing"), nameOf: (id) => this.nameOf(id) });
    this.breakout = new Breakout(this);
    this._wireControls();
    if (this.answer.muted) this.devices.microphoneOn = false; // mute upon entry
    // host_video / participant_video off: the camera starts off (it can be turned on in the call)
    if (!this.rejoined && this.answer.room && this.answer.room.video_on === false) this.devices.cameraOn = false;
    await this.devices.apply();
    if (this.answer.room && this.answer.room.e2ee) await this._startEncryption();
    await this._connect();
  }

  /** An end-to-end encrypted meeting: keys agreed over participant messages, frames encrypted (docs/room.md). */
  async _startEncryption() {
    this.e2ee = await RoomEncryption.start({
      meetingId: this.config.meetingId,
      send: (id, message) => {
        const participant = id && this.conference ? this.conference.getParticipantById(id) : null;
        if (id && !participant) return Promise.resolve(); // gone: never broadcast what was meant for one
        return this._signal(JSON.stringify(message), participant);
      },
      present: () => (this.conference ? this.conference.getParticipants().map((p) => p.getId()) : []),
      tileOf: (id) => this.video.get(id),
    });
  }

  async _connect() {
    const uri = new URL(this.answer.conference.uri, location.origin).href;
    try {
      const options = new SessionOptions();
      // The server's TURN relay (time-limited credentials), for networks that block direct media.
      for (const server of this.answer.ice_servers || []) options.setTurnServer(server.urls, server.username, server.credential);
      if (this.e2ee) options.setFrameTransform(this.e2ee.transform); // end-to-end encryption (static/js/e2ee/)
      this.session = await MindSDK.join(uri, this.answer.participant_token, options);
    } catch (error) {
      // The token may have died with the meeting, or this person may have been removed: ask the server.
      const state = await this.api.status(this.ticket).catch(() => null);
      if (state && state.state !== "admitted") return this._goodbye(state.state === "removed" ? "removed" : "ended");
      $("reconnecting").hidden = false;
      $("reconnecting").lastChild.textContent = _("Can't connect to the meeting. Retrying…");
      setTimeout(() => this._connect(), 3000);
      return;
    }
    $("reconnecting").hidden = true;
    this.conference = this.session.getConference();
    this.me = this.conference.getMe();
    this.session.setListener(this);
    this.video.upsert(this.me.getId(), { name: this.me.getName() || this.answer.name, self: true, audio: false, video: false });
    for (const participant of this.conference.getParticipants()) this._showParticipant(participant);
    if (this.e2ee) this.e2ee.joined();
    this.publish();
    this._renderRecording();
    this.captions.indicator.hidden = !(this.conference.isTranscribing && this.conference.isTranscribing());
    if (!this.looping) this._startLoops();
    this.refreshRoster();
    this.renderPeople();
    this._reportDeviceProblems();
    this.breakout.connected();
  }

  /** Breakout rooms: leaves this conference's session and joins another on the same page, with the
   *  same devices; `update` = {conference: {id, uri}, participant_token, media_participant_id}. */
  async switchConference(update) {
    this.moving = true;
    if (this.sharing) this.stopShare();
    this._exitSession();
    this.session = null;
    this.conference = null;
    this.me = null;
    for (const id of [...this.video.tiles.keys()]) this.video.remove(id);
    this.video.setPresentation(null);
    this.hands.clear();
    this.roles = new Map();
    this.answer = { ...this.answer, participant_token: update.participant_token, media_participant_id: update.media_participant_id,
                    conference: { ...this.answer.conference, id: update.conference.id, uri: update.conference.uri } };
    try {
      await this._connect();
    } finally {
      this.moving = false;
    }
  }

  _startLoops() {
    this.looping = true;
    const startedAt = this.answer.conference.started_at ? Date.parse(this.answer.conference.started_at) : Date.now();
    const tick = () => {
      $("clock").textContent = clockTime();
      $("timer").textContent = elapsed(Date.now() - startedAt);
    };
    tick();
    this.timers.push(setInterval(tick, 1000));
    this.timers.push(setInterval(() => this._levels(), 150));
    this.timers.push(setInterval(() => this._checkPlayback(), 2000));
    // Keep the room ticket fresh (ROOM_TICKET_SECONDS on the server is longer than this).
    this.timers.push(setInterval(() => this.api.status(this.ticket).catch(() => {}), TICKET_RENEW_MS));
    if (this.canModerate) this._pollLobby();
  }

  // --- publishing -------------------------------------------------------------------------------

  /** Publishes what is on (camera, microphone) as my primary stream; nothing when both are off. */
  publish() {
    if (!this.me) return;
    const devices = this.devices;
    const microphone = devices.microphoneOn ? devices.microphone : null;
    const camera = devices.cameraOn ? devices.camera : null;
    if (this.me.mayPublish && !this.me.mayPublish("primary")) {
      this.localStream = null;
    } else {
      // Published through the effects (noise suppression, background): their tracks, not the devices'.
      const audio = mediaEffects.microphone(microphone);
      const video = mediaEffects.camera(camera);
      this.localStream = audio || video ? MindSDK.createMediaStream(audio, video) : null;
      this.me.setMediaStream(this.localStream);
    }
    const self = this.video.upsert(this.me.getId(), { name: this.me.getName(), self: true,
                                                      audio: Boolean(microphone), video: Boolean(camera) });
    self.setStream(this.localStream);
    if (!this.localStream) self.video.mediaStream = null;
    this.meter.setTrack(this.localStream ? this.localStream.getAudioTrack() : null);
    this._renderToggles();
    this.renderPeople();
  }

  async toggleMicrophone() {
    const on = await this.devices.setMicrophoneOn(!this.devices.microphoneOn);
    if (!on && this.devices.problems.microphone) toast(this.devices.problems.microphone, { timeout: 8000 });
    this.publish();
  }

  async toggleCamera() {
    const on = await this.devices.setCameraOn(!this.devices.cameraOn);
    if (!on && this.devices.problems.camera) toast(this.devices.problems.camera, { timeout: 8000 });
    this.publish();
  }

  async setMicrophoneOn(on) {
    if (this.devices.microphoneOn !== on) await this.toggleMicrophone();
  }

  _renderToggles() {
    const set = (button, on, onIcon, offIcon, what) => {
      button.classList.toggle("off", !on);
      button.setAttribute("aria-pressed", String(on));
      const label = toggleLabel(what, on);
      button.setAttribute("aria-label", label);
      button.title = label;
      setIcon(button, on ? onIcon : offIcon);
    };
    set($("btn-mic"), this.devices.microphoneOn, "mic", "micoff", "microphone");
    set($("btn-cam"), this.devices.cameraOn, "videocam", "videocamoff", "camera");
    const share = $("btn-share");
    share.classList.toggle("on", this.sharing);
    share.setAttribute("aria-pressed", String(this.sharing));
    share.title = this.sharing ? _("Stop presenting") : (this._mayShare() ? _("Present now") : _("Only hosts and co-hosts can present"));
    share.setAttribute("aria-disabled", String(!this.sharing && !this._mayShare()));
    share.setAttribute("aria-label", share.title);
    const hand = $("btn-hand");
    hand.classList.toggle("on", this.handUp);
    hand.setAttribute("aria-pressed", String(this.handUp));
    hand.title = this.handUp ? _("Lower hand") : _("Raise hand");
    hand.setAttribute("aria-label", hand.title);
    const captions = $("btn-captions");
    captions.classList.toggle("on", this.captions.on);
    captions.setAttribute("aria-pressed", String(this.captions.on));
    captions.title = this.captions.on ? _("Turn off captions") : _("Turn on captions");
    if (this.e2ee) { // nobody transcribes an end-to-end encrypted meeting
      captions.disabled = true;
      captions.title = _("No captions: the meeting is end-to-end encrypted");
    }
    captions.setAttribute("aria-label", captions.title);
  }

  _reportDeviceProblems() {
    for (const problem of [this.devices.problems.microphone, this.devices.problems.camera]) {
      if (problem) toast(problem, { timeout: 10000 });
    }
  }

  // --- screen sharing ---------------------------------------------------------------------------

  _mayShare() {
    return Boolean(this.me && (!this.me.mayPublish || this.me.mayPublish("secondary")));
  }

  async toggleShare() {
    if (this.sharing) return this.stopShare();
    const screen = MindSDK.getDeviceRegistry().getScreen();
    if (!screen) return toast(_("This browser can't share the screen."));
    if (!this._mayShare()) return toast(_("Only the host and co-hosts can present in this meeting."));
    try {
      screen.setAudioCapturing(true); // tab or system audio, where the browser allows it
      await screen.acquire();
    } catch (error) {
      if (error && error.name === "NotAllowedError") return undefined; // the person cancelled the picker
      try {
        screen.setAudioCapturing(false);
        await screen.acquire();
      } catch (second) {
        if (!second || second.name !== "NotAllowedError") toast(fmt(_("Can't share the screen: %(reason)s"), { reason: second && second.message }));
        return undefined;
      }
    }
    screen.setListener({ onScreenReleasedForcibly: () => this.stopShare() });
    this.screen = screen;
    this.shareStream = MindSDK.createMediaStream(screen, screen);
    this.me.setSecondaryMediaStream(this.shareStream);
    this.sharing = true;
    this._renderPresentation();
    this._renderToggles();
    return undefined;
  }

  stopShare() {
    if (!this.sharing) return;
    this.sharing = false;
    if (this.me) this.me.setSecondaryMediaStream(null);
    try {
      if (this.screen) this.screen.release();
    } catch (error) {
      // released already
    }
    this.shareStream = null;
    this._renderPresentation();
    this._renderToggles();
  }

  _renderPresentation() {
    const presenter = this.conference && this.conference.getParticipants().find((p) => p.isStreamingSecondaryVideo());
    if (presenter) {
      this.video.setPresentation({ id: presenter.getId(), stream: presenter.getSecondaryMediaStream(),
                                   label: `${presenter.getName()} is presenting` });
    } else if (this.sharing && this.shareStream) {
      this.video.setPresentation({ id: this.me.getId(), stream: this.shareStream, label: _("You are presenting"), local: true });
    } else {
      this.video.setPresentation(null);
    }
  }

  // --- participants -----------------------------------------------------------------------------

  _showParticipant(participant) {
    this.video.upsert(participant.getId(), {
      name: participant.getName(), stream: participant.getMediaStream(), audio: participant.isStreamingAudio(),
      video: participant.isStreamingVideo(), hand: this.hands.has(participant.getId()),
    });
  }

  nameOf(id) {
    if (this.me && id === this.me.getId()) return _("You");
    const participant = this.conference && this.conference.getParticipantById(id);
    return (participant && participant.getName()) || _("Someone");
  }

  _peopleList() {
    if (!this.me) return [];
    const me = { id: this.me.getId(), name: this.me.getName() || this.answer.name, self: true,
                 audio: this.devices.microphoneOn, hand: this.handUp, role: this.role };
    const others = this.conference.getParticipants().map((p) => ({
      id: p.getId(), name: p.getName(), self: false, audio: p.isStreamingAudio(), hand: this.hands.has(p.getId()),
      role: this.roles.get(p.getId()) || (p.getRole() === "moderator" ? "co_host" : "attendee"),
    }));
    return [me, ...others];
  }

  renderPeople() {
    const people = this._peopleList();
    this.people.render(people, { canModerate: this.canModerate, isHost: this.isHost });
    this.chat.setRecipients(people.filter((p) => !p.self));
  }

  async refreshRoster() {
    clearTimeout(this.rosterTimer);
    this.rosterTimer = setTimeout(async () => {
      try {
        const { participants } = await this.api.roster(this.ticket);
        this.roles = new Map(participants.map((p) => [p.id, p.role]));
        this.video.setPictures(new Map(participants.map((p) => [p.id, p.picture || ""])));
        this.renderPeople();
      } catch (error) {
        // the labels stay as they were
      }
    }, 300);
  }

  // --- SessionListener --------------------------------------------------------------------------

  onSessionStateChanged(session) {
    const state = session.getState();
    $("reconnecting").hidden = state !== SessionState.FAILED;
    if (state === SessionState.FAILED) $("reconnecting").lastChild.textContent = _("Connection lost. Reconnecting…");
  }

  onParticipantJoined(participant) {
    this._showParticipant(participant);
    toast(`${participant.getName()} joined`);
    if (this.handUp) this._signal(encodeSignal("hand", { up: true }), participant);
    if (this.e2ee) this.e2ee.participantJoined(participant.getId());
    this._renderPresentation();
    this.renderPeople();
    this.refreshRoster();
  }

  onParticipantExited(participant) {
    this.video.remove(participant.getId());
    this.hands.delete(participant.getId());
    if (this.e2ee) this.e2ee.participantLeft(participant.getId()); // new keys for those still here
    toast(`${participant.getName()} left`);
    this._renderPresentation();
    this.renderPeople();
  }

  onParticipantMediaChanged(participant) {
    this._showParticipant(participant);
    this.renderPeople();
  }

  onParticipantSecondaryMediaChanged(participant) {
    if (participant.isStreamingSecondaryVideo() && this.sharing) this.stopShare(); // one presenter at a time
    this._renderPresentation();
  }

  onParticipantNameChanged(participant) {
    this._showParticipant(participant);
    this.renderPeople();
  }

  onParticipantRoleChanged() {
    this.refreshRoster();
  }

  onParticipantPriorityChanged() {}
  onParticipantLanguageChanged() {}
  onConferenceNameChanged() {}
  onMeNameChanged() { this.renderPeople(); }
  onMePriorityChanged() {}
  onMeLanguageChanged() {}

  onConferenceRecordingStarted() {
    this._renderRecording();
    toast(_("This meeting is being recorded"));
  }

  onConferenceRecordingStopped() {
    this._renderRecording();
    toast(_("Recording stopped"));
  }

  _renderRecording() {
    $("rec").hidden = !(this.conference && this.conference.isRecording());
  }

  onConferenceTranscription(conference, resource, location) {
    this.captions.handle(resource, location);
  }

  onConferenceEnded() {
    if (this.moving) return;
    if (this.breakout.inRoom) return this.breakout.roomEnded(); // the room ended, maybe not the meeting
    return this._goodbye("ended");
  }

  async onMeExpelled() {
    if (this.leaving || this.moving) return; // my own leave deletes me too; so does a move to another room
    // The engine also drops everyone when the meeting ends; the meeting knows which one it was.
    const state = await this.api.status(this.ticket).catch(() => null);
    this._goodbye(state && state.state === "ended" ? "ended" : "removed");
  }

  onSessionEndedElsewhere() {
    this._goodbye("elsewhere");
  }

  onMePublicationStopped(me, media) {
    if (media === "secondary" && this.sharing) {
      this.sharing = false;
      this.shareStream = null;
      try { if (this.screen) this.screen.release(); } catch (error) { /* released */ }
      this._renderPresentation();
      this._renderToggles();
      toast(_("You can no longer present in this meeting."));
    }
  }

  async onMeRoleChanged() {
    try {
      const state = await this.api.status(this.ticket);
      const was = this.canModerate;
      this.role = state.role || this.role;
      if (this.canModerate && !was) {
        toast(_("You're now a co-host"));
        this._pollLobby();
      } else if (!this.canModerate && was) {
        toast(_("You're no longer a co-host"));
      }
    } catch (error) {
      // keep the old role
    }
    this._renderToggles();
    this.renderPeople();
  }

  onMeReceivedMessageFromApplication(me, text) {
    const instruction = decodeInstruction(text);
    if (!instruction) return;
    if (instruction.type === "confer.whiteboard") {
      this.whiteboard.onChanged(instruction.version);
    } else if (instruction.type === "confer.breakout") {
      this.breakout.onChanged(instruction.version);
    } else if (instruction.type === "confer.mute") {
      if (this.devices.microphoneOn) {
        this.setMicrophoneOn(false);
        toast(_("The host muted you"), { timeout: 6000 });
      }
    } else if (instruction.type === "confer.quality") {
      this.quality = this.quality || new QualityNotices({
        myId: () => this.me && this.me.getId(), tileOf: (id) => this.video.get(id),
        turnCameraOff: () => { if (this.devices.cameraOn) this.toggleCamera(); } });
      this.quality.show(instruction);
    } else if (instruction.type === "confer.unmute_request") {
      if (!this.devices.microphoneOn) {
        toast(_("The host is asking you to unmute"), { timeout: 15000, action: { label: _("Unmute"), run: () => this.setMicrophoneOn(true) } });
      }
    }
  }

  onMeReceivedMessageFromParticipant(me, text, participant, message) {
    const signal = decodeSignal(text);
    const id = participant && participant.getId();
    if (signal) {
      if (signal.confer === "hand" && id) {
        if (signal.up) {
          if (!this.hands.has(id)) toast(`${participant.getName()} raised a hand`);
          this.hands.add(id);
        } else {
          this.hands.delete(id);
        }
        if (this.video.get(id)) this.video.get(id).update({ hand: this.hands.has(id) });
        this.renderPeople();
      } else if (signal.confer === "reaction" && REACTIONS.includes(signal.emoji)) {
        this._floatReaction(id, signal.emoji);
      } else if (signal.confer === "e2ee" && this.e2ee) {
        this.e2ee.onSignal(signal, id);
      }
      return;
    }
    const privately = Boolean(message && this.me && message.sentTo === this.me.getId());
    this.chat.add({ from: (participant && participant.getName()) || _("Someone"), text, privately,
                    time: message && message.sentAt ? new Date(message.sentAt) : new Date() });
    if (this.panel !== "chat") {
      toast(`${(participant && participant.getName()) || _("Someone")}: ${text.slice(0, 80)}`, {
        action: { label: _("Open"), run: () => this.openPanel("chat") },
      });
    }
  }

  // --- chat, hands, reactions -------------------------------------------------------------------

  async sendChat(text, toId) {
    if (!this.me) throw new Error("not connected yet");
    if (toId) {
      const participant = this.conference.getParticipantById(toId);
      if (!participant) throw new Error("that person has left");
      await this.me.sendMessageToParticipant(text, participant);
    } else {
      await this.me.sendMessageToAll(text);
    }
  }

  _signal(text, participant = null) {
    if (!this.me) return Promise.resolve();
    const sending = participant ? this.me.sendMessageToParticipant(text, participant) : this.me.sendMessageToAll(text);
    return sending.catch(() => toast(_("Couldn't reach the others. Check your connection.")));
  }

  toggleHand() {
    this.handUp = !this.handUp;
    this.video.get(this.me.getId()).update({ hand: this.handUp });
    this._signal(encodeSignal("hand", { up: this.handUp }));
    this._renderToggles();
    this.renderPeople();
  }

  react(emoji) {
    $("reactions").hidden = true;
    this._floatReaction(this.me.getId(), emoji);
    this._signal(encodeSignal("reaction", { emoji }));
  }

  _floatReaction(id, emoji) {
    const tile = this.video.get(id);
    if (!tile) return;
    const bubble = h("span", { class: "reaction-float", "aria-hidden": "true" }, emoji);
    tile.el.append(bubble);
    setTimeout(() => bubble.remove(), 3000);
  }

  // --- host controls ----------------------------------------------------------------------------

  async hostAction(id, action, name) {
    if (action === "remove") {
      const ok = await confirmDialog(fmt(_("Remove %(name)s from the call?"), { name }), _("They'll be taken out of the call right away."), _("Remove"));
      if (!ok) return;
    }
    try {
      await this.api.act(this.ticket, id, action);
      const done = { mute: _("Muted"), "ask-unmute": _("Asked to unmute"), remove: _("Removed"), "make-cohost": _("Now a co-host"),
                     "revoke-cohost": _("No longer a co-host") }[action];
      toast(`${done}: ${this.nameOf(id)}`);
      this.refreshRoster();
    } catch (error) {
      toast(error.message, { timeout: 8000 });
    }
  }

  async control(action) {
    try {
      return await this.api.control(this.ticket, action);
    } catch (error) {
      toast(error.message, { timeout: 8000 });
      return null;
    }
  }

  async muteAll() {
    if (await this.control("mute_all")) toast(_("Everyone else was asked to mute"));
  }

  get transcribing() {
    return !this.captions.indicator.hidden;
  }

  /** Hosts and co-hosts: live transcription (captions) without recording. */
  async toggleTranscription() {
    const starting = !this.transcribing;
    const result = await this.control(starting ? "transcription.start" : "transcription.stop");
    if (!result) return;
    this.captions.indicator.hidden = !result.transcription;
    if (result.transcription && !this.captions.on) this.toggleCaptions();
    toast(result.transcription ? _("Transcription started: captions are on for everyone who turns them on")
                               : _("Transcription stopped"));
  }

  async toggleRecording() {
    const recording = this.conference.isRecording();
    const result = await this.control(recording ? "recording.stop" : "recording.start");
    if (result) $("rec").hidden = result.recording !== "recording";
  }

  _pollLobby() {
    if (this.lobbyTimer || !this.answer.room || !this.answer.room.waiting_room) return;
    const poll = async () => {
      try {
        const { waiting } = await this.api.lobby(this.ticket);
        const inRoom = waiting.filter((w) => w.state === "waiting_room");
        for (const person of inRoom) {
          if (!this.lobbyKnown.has(person.participant_id)) {
            this.lobbyKnown.add(person.participant_id);
            toast(fmt(_("%(name)s wants to join"), { name: person.name }), { timeout: 12000,
              action: { label: _("Admit"), run: () => this.admit(person.participant_id) } });
          }
        }
        this.people.setLobby(inRoom);
      } catch (error) {
        if (error.status === 403) { // no longer a host or co-host
          this.people.setLobby([]);
          this.lobbyTimer = null;
          return;
        }
      }
      this.lobbyTimer = setTimeout(poll, LOBBY_POLL_MS);
    };
    this.lobbyTimer = setTimeout(poll, 0);
  }

  async admit(id) {
    try {
      await this.api.admit(this.ticket, id);
    } catch (error) {
      toast(error.message);
    }
    clearTimeout(this.lobbyTimer);
    this.lobbyTimer = null;
    this._pollLobby();
  }

  async deny(id) {
    try {
      await this.api.deny(this.ticket, id);
    } catch (error) {
      toast(error.message);
    }
    clearTimeout(this.lobbyTimer);
    this.lobbyTimer = null;
    this._pollLobby();
  }

  async admitAll() {
    for (const row of $("lobby-list").querySelectorAll("[data-participant-id]")) {
      await this.api.admit(this.ticket, row.dataset.participantId).catch(() => {});
    }
    clearTimeout(this.lobbyTimer);
    this.lobbyTimer = null;
    this._pollLobby();
  }

  // --- leaving ----------------------------------------------------------------------------------

  async leave({ endForAll = false } = {}) {
    if (this.leaving) return;
    if (endForAll) {
      const ok = await confirmDialog(_("End the call for everyone?"), _("Everyone will be removed from the call."), _("End call"));
      if (!ok) return;
      this.leaving = true;
      const ended = await this.control("end");
      if (!ended) {
        this.leaving = false;
        return;
      }
      return this._goodbye("ended");
    }
    this.leaving = true;
    this._exitSession(); // first: the server's removal of the participant must not read as "expelled"
    await this.api.leave(this.ticket).catch(() => {});
    return this._goodbye("left");
  }

  _exitSession() {
    try {
      if (this.session) MindSDK.exit2(this.session);
    } catch (error) {
      // closed already
    }
  }

  _goodbye(reason) {
    if (this.gone) return;
    this.gone = true;
    this.leaving = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.lobbyTimer);
    // A removed person keeps the ticket: opening the room again in this tab shows "removed".
    if (reason !== "removed") store.forget(this.config.meetingId, "ticket");
    this._exitSession();
    this.devices.stopCamera();
    this.devices.stopMicrophone();
    try { if (this.screen) this.screen.release(); } catch (error) { /* released */ }
    location.assign(`${this.config.urls.bye}?reason=${reason}`);
  }

  // --- the loops --------------------------------------------------------------------------------

  _levels() {
    if (!this.conference) return;
    const levels = new Map();
    levels.set(this.me.getId(), this.devices.microphoneOn ? this.meter.level() : 0);
    for (const participant of this.conference.getParticipants()) {
      const stream = participant.getMediaStream();
      levels.set(participant.getId(), participant.isStreamingAudio() && stream.getAudioLevel ? stream.getAudioLevel() : 0);
    }
    this.video.setLevels(levels);
  }

  /** Browsers may refuse to play sound before the person touched the page (a reload rejoins without a click). */
  _checkPlayback() {
    const blocked = [...document.querySelectorAll(".tile:not(.self) video, #stage-video")]
      .filter((v) => v.srcObject && v.paused);
    if (!blocked.length) return;
    Promise.all(blocked.map((v) => v.play())).catch(() => {
      if (this.soundToast && this.soundToast.isConnected) return;
      this.soundToast = toast(_("Your browser paused the call's sound."), { timeout: 0,
        action: { label: _("Turn on sound"), run: () => blocked.forEach((v) => v.play().catch(() => {})) } });
    });
  }

  // --- controls ---------------------------------------------------------------------------------

  openPanel(which) {
    this.panel = this.panel === which ? null : which;
    $("panel").hidden = !this.panel;
    $("panel-people").hidden = this.panel !== "people";
    $("panel-chat").hidden = this.panel !== "chat";
    $("panel-title").textContent = this.panel === "chat" ? _("In-call messages") : _("People");
    $("btn-people").classList.toggle("active", this.panel === "people");
    $("btn-chat").classList.toggle("active", this.panel === "chat");
    if (this.panel === "chat") {
      this.chat.markRead();
      $("chat-input").focus();
    }
    this.video.layout();
  }

  toggleCaptions() {
    this.captions.setOn(!this.captions.on);
    this._renderToggles();
  }

  _moreItems() {
    const recording = this.conference && this.conference.isRecording();
    // End-to-end encrypted: the server cannot hear the call, so it records and transcribes nothing.
    const encrypted = this.e2ee ? { disabled: true, hint: _("Not available: the meeting is end-to-end encrypted") } : {};
    return [
      this.canModerate ? { id: "recording", label: recording ? _("Stop recording") : _("Record meeting"), icon: recording ? "stop" : "record",
                           run: () => this.toggleRecording(), ...encrypted } : null,
      this.canModerate ? { id: "transcription", label: this.transcribing ? _("Stop transcribing") : _("Transcribe meeting"),
                           icon: "captions", run: () => this.toggleTranscription(), ...encrypted } : null,
      { id: "captions", label: this.captions.on ? _("Turn off captions") : _("Turn on captions"), icon: "captions",
        run: () => this.toggleCaptions(), ...encrypted },
      { id: "share", label: this.sharing ? _("Stop presenting") : _("Present now"), icon: "present", run: () => this.toggleShare() },
      { id: "whiteboard", label: this.whiteboard.isOpen ? _("Close whiteboard") : _("Whiteboard"), icon: "present",
        run: () => this.whiteboard.toggle() },
      this.breakout.menuItem(),
      { id: "people", label: _("People"), icon: "people", run: () => this.openPanel("people") },
      { id: "chat", label: _("In-call messages"), icon: "chat", run: () => this.openPanel("chat") },
      "-",
      { id: "settings", label: _("Settings"), icon: "settings", run: () => this.openSettings() },
    ];
  }

  async openSettings() {
    await this.devices.refreshSpeakers();
    this.devices.fillPickers({ camera: $("set-camera"), microphone: $("set-mic"), speaker: $("set-speaker") });
    $("settings").showModal();
  }

  async _deviceChosen(kind, id) {
    if (kind === "camera") await this.devices.chooseCamera(id);
    if (kind === "microphone") await this.devices.chooseMicrophone(id);
    if (kind === "speaker") {
      this.devices.chooseSpeaker(id);
      for (const element of document.querySelectorAll("#call video, #call audio")) this.devices.routeAudio(element);
      return;
    }
    const problem = this.devices.problems[kind];
    if (problem) toast(problem, { timeout: 8000 });
    this.publish(); // the new device's track replaces the old one in the same publication
    this.devices.fillPickers({ camera: $("set-camera"), microphone: $("set-mic"), speaker: $("set-speaker") });
  }

  _wireControls() {
    $("btn-mic").addEventListener("click", () => this.toggleMicrophone());
    $("btn-cam").addEventListener("click", () => this.toggleCamera());
    $("btn-share").addEventListener("click", () => this.toggleShare());
    $("btn-hand").addEventListener("click", () => this.toggleHand());
    $("btn-captions").addEventListener("click", () => this.toggleCaptions());
    $("btn-people").addEventListener("click", () => this.openPanel("people"));
    $("btn-chat").addEventListener("click", () => this.openPanel("chat"));
    $("panel-close").addEventListener("click", () => this.openPanel(this.panel));
    $("mute-all").addEventListener("click", () => this.muteAll());
    $("end-all-panel").addEventListener("click", () => this.leave({ endForAll: true }));
    $("admit-all").addEventListener("click", () => this.admitAll());
    const reactions = $("reactions");
    reactions.replaceChildren(...REACTIONS.map((emoji) => h("button", { type: "button", "aria-label": fmt(_("React %(emoji)s"), { emoji }),
                                                                        onclick: () => this.react(emoji) }, emoji)));
    $("btn-react").dataset.menuTrigger = "";
    $("btn-react").addEventListener("click", () => { closeMenus(); reactions.hidden = !reactions.hidden; });
    document.addEventListener("click", (event) => {
      if (!reactions.hidden && !event.target.closest("#reactions, #btn-react")) reactions.hidden = true;
    });
    $("btn-more").dataset.menuTrigger = "";
    $("btn-more").addEventListener("click", () => toggleMenu($("more-menu"), this._moreItems()));
    $("btn-leave").dataset.menuTrigger = "";
    $("btn-leave").addEventListener("click", () => {
      if (!this.isHost) return this.leave();
      return toggleMenu($("leave-menu"), [
        { id: "leave", label: _("Just leave the call"), icon: "callend", run: () => this.leave() },
        { id: "end-all", label: _("End the call for everyone"), icon: "close", danger: true, run: () => this.leave({ endForAll: true }) },
      ]);
    });
    $("set-camera").addEventListener("change", (e) => this._deviceChosen("camera", e.target.value));
    $("set-mic").addEventListener("change", (e) => this._deviceChosen("microphone", e.target.value));
    $("set-speaker").addEventListener("change", (e) => this._deviceChosen("speaker", e.target.value));
    $("settings-done").addEventListener("click", () => $("settings").close());
    const wake = () => this.meter.resume();
    document.addEventListener("pointerdown", wake);
    document.addEventListener("keydown", wake);
    this._renderToggles();
  }
}
