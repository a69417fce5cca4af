// The pre-join screen: camera preview, microphone level, device pickers, mic/camera toggles,
// name and passcode, then the join request and the waiting states (waiting room, waiting for the
// host), polled until the person is admitted. Resolves `run()` with the admitted join answer.

import { mediaEffects } from "../effects/index.js";
import { MindSDK } from "../mind/index.js";
import { drawLevel, LevelMeter, toggleLabel } from "./devices.js";
import { _ } from "./i18n.js";
import { setIcon } from "./icons.js";
import * as store from "./store.js";
import { $ } from "./ui.js";

const POLL_MS = 2000;

export class Prejoin {
  constructor({ config, api, devices }) {
    this.config = config;
    this.api = api;
    this.devices = devices;
    this.meter = new LevelMeter();
    this.previewStream = null;
    this.levelStream = null;
    this.polling = null;
    this.ticket = null;
    this.done = null;
    this.levelTimer = null;
  }

  /** Shows the screen; resolves with the join answer once admitted. */
  run({ resumeWaiting = null } = {}) {
    $("prejoin").hidden = false;
    const name = $("join-name");
    name.value = store.load(this.config.meetingId).name || this.config.name || "";
    if (this.config.nameLocked) name.readOnly = true;
    $("passcode-row").hidden = !this.config.needsPasscode;
    $("preview-name").textContent = name.value;
    name.addEventListener("input", () => { $("preview-name").textContent = name.value; this._error(""); });
    $("join-form").addEventListener("submit", (event) => { event.preventDefault(); this.join(); });
    $("pre-mic").addEventListener("click", () => this.toggleMicrophone());
    $("pre-cam").addEventListener("click", () => this.toggleCamera());
    $("waiting-cancel").addEventListener("click", () => this.cancelWaiting());
    $("pick-camera").addEventListener("change", async (e) => { await this.devices.chooseCamera(e.target.value); this.render(); });
    $("pick-mic").addEventListener("change", async (e) => { await this.devices.chooseMicrophone(e.target.value); this.render(); });
    $("pick-speaker").addEventListener("change", (e) => this.devices.chooseSpeaker(e.target.value));
    const wake = () => this.meter.resume();
    document.addEventListener("pointerdown", wake);
    document.addEventListener("keydown", wake);
    this.levelTimer = setInterval(() => drawLevel($("level"), this.devices.microphoneOn ? this.meter.level() : 0), 80);
    this._startDevices();
    if (!this.config.nameLocked && !name.value) name.focus();
    return new Promise((resolve) => {
      this.done = resolve;
      if (resumeWaiting) this._wait(resumeWaiting);
    });
  }

  async _startDevices() {
    await this.devices.apply();
    await this.devices.registry.refresh().catch(() => {});
    await this.devices.refreshSpeakers();
    this.render();
  }

  render() {
    const devices = this.devices;
    if (devices.camera && devices.cameraOn) {
      if (!this.previewStream || this.previewCamera !== devices.camera) {
        this.previewStream = MindSDK.createMediaStream(null, mediaEffects.camera(devices.camera)); // with its background effect
        this.previewCamera = devices.camera;
      }
      $("preview-video").mediaStream = this.previewStream;
    } else {
      $("preview-video").mediaStream = null;
      this.previewStream = null;
      this.previewCamera = null;
    }
    $("preview-off").hidden = Boolean(devices.camera && devices.cameraOn);
    $("preview-off-text").textContent = devices.problems.camera ? _("Camera is unavailable") : _("Camera is off");
    if (devices.microphone && devices.microphoneOn) {
      if (!this.levelStream || this.levelMicrophone !== devices.microphone) {
        this.levelStream = MindSDK.createMediaStream(devices.microphone, null);
        this.levelMicrophone = devices.microphone;
      }
      this.meter.setTrack(this.levelStream.getAudioTrack());
    } else {
      this.meter.setTrack(null);
    }
    this._toggleButton($("pre-mic"), devices.microphoneOn, "mic", "micoff", "microphone");
    this._toggleButton($("pre-cam"), devices.cameraOn, "videocam", "videocamoff", "camera");
    devices.fillPickers({ camera: $("pick-camera"), microphone: $("pick-mic"), speaker: $("pick-speaker") });
    const problems = [devices.problems.microphone, devices.problems.camera].filter(Boolean);
    $("device-message").hidden = !problems.length;
    $("device-message").textContent = problems.join(" ");
  }

  _toggleButton(button, on, onIcon, offIcon, what) {
    button.classList.toggle("off", !on);
    button.setAttribute("aria-pressed", String(on));
    const label = toggleLabel(what, on);
    button.setAttribute("aria-label", label);
    button.title = label;
    setIcon(button, on ? onIcon : offIcon);
  }

  async toggleMicrophone() {
    await this.devices.setMicrophoneOn(!this.devices.microphoneOn);
    this.render();
  }

  async toggleCamera() {
    await this.devices.setCameraOn(!this.devices.cameraOn);
    this.render();
  }

  _error(text) {
    $("join-error").textContent = text;
  }

  async join() {
    const name = $("join-name").value.trim();
    if (!name) {
      this._error(_("Enter your name to join."));
      $("join-name").focus();
      return;
    }
    const button = $("join-button");
    button.disabled = true;
    this._error("");
    const body = { name, ...this.config.link };
    const passcode = $("join-passcode").value.trim();
    if (passcode) body.passcode = passcode;
    try {
      const answer = await this.api.join(body);
      store.save(this.config.meetingId, { name });
      this._handle(answer);
    } catch (error) {
      this._error(error.message);
    } finally {
      button.disabled = false;
    }
  }

  _handle(answer) {
    if (answer.ticket) {
      this.ticket = answer.ticket;
      store.save(this.config.meetingId, { ticket: answer.ticket });
    }
    switch (answer.state) {
      case "admitted":
        this._finish(answer);
        break;
      case "waiting_room":
      case "waiting_for_host":
        this._wait(answer);
        break;
      case "passcode_required":
        $("passcode-row").hidden = false;
        this._error(answer.message);
        $("join-passcode").focus();
        break;
      case "denied":
        this._stopWaiting();
        if (answer.reason === "host_denied" || answer.reason === "removed") {
          store.forget(this.config.meetingId, "ticket");
          location.assign(`${this.config.urls.bye}?reason=${answer.reason === "removed" ? "removed" : "denied"}`);
        } else {
          this._error(answer.message);
          if (answer.registration_url) { // registration required: offer the registration page
            $("register-link").href = answer.registration_url;
            $("register-link").hidden = false;
          }
        }
        break;
      case "removed":
        store.forget(this.config.meetingId, "ticket");
        location.assign(`${this.config.urls.bye}?reason=removed`);
        break;
      default: // ended while waiting
        this._stopWaiting();
        store.forget(this.config.meetingId, "ticket");
        this._error(answer.message || _("This meeting has ended."));
    }
  }

  _wait(answer) {
    this.ticket = answer.ticket || this.ticket;
    $("join-box").hidden = true;
    $("waiting").hidden = false;
    const host = answer.state === "waiting_for_host";
    $("waiting-title").textContent = host ? _("Waiting for the host") : _("Asking to join…");
    $("waiting-text").textContent = host
      ? _("You'll join as soon as the host starts the meeting.")
      : _("You'll join the call when someone lets you in.");
    if (this.polling) return;
    const poll = async () => {
      try {
        const next = await this.api.status(this.ticket);
        if (next.state !== "waiting_room" && next.state !== "waiting_for_host") {
          this._stopWaiting();
          this._handle(next);
          return;
        }
        this._wait(next);
      } catch (error) {
        // a blip: keep polling; a forged or stale ticket is a 403 that will not heal
        if (error.status === 403 || error.status === 404) {
          this._stopWaiting();
          store.forget(this.config.meetingId, "ticket");
          this._error(error.message);
          return;
        }
      }
      if (this.polling) this.polling = setTimeout(poll, POLL_MS);
    };
    this.polling = setTimeout(poll, POLL_MS);
  }

  _stopWaiting() {
    clearTimeout(this.polling);
    this.polling = null;
    $("join-box").hidden = false;
    $("waiting").hidden = true;
  }

  async cancelWaiting() {
    const ticket = this.ticket;
    this._stopWaiting();
    store.forget(this.config.meetingId, "ticket");
    if (ticket) await this.api.leave(ticket).catch(() => {});
  }

  _finish(answer) {
    this._stopWaiting();
    clearInterval(this.levelTimer);
    $("preview-video").mediaStream = null;
    this.meter.setTrack(null);
    $("prejoin").hidden = true;
    this.done(answer);
  }
}
