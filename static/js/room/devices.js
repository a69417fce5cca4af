// The person's camera, microphone and speaker, on top of the SDK's DeviceRegistry: which device is
// chosen, whether it is on, acquiring with a clear message when a device is missing or blocked,
// the pickers (<select>s), and a microphone level meter (Web Audio).

import { _, fmt } from "./i18n.js";
import { saveDevicePrefs } from "./store.js";

/** A sentence for a getUserMedia failure (whole sentences per device: they translate as such). */
export function explain(error, kind) {
  const name = (error && error.name) || "";
  const camera = kind === "camera";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return camera
      ? _("Your browser is blocking the camera. Allow it in the site settings (the icon left of the address), then turn it on again.")
      : _("Your browser is blocking the microphone. Allow it in the site settings (the icon left of the address), then turn it on again.");
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return camera ? _("No camera found. Plug one in, or join without it.")
                  : _("No microphone found. Plug one in, or join without it.");
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return camera ? _("Your camera is being used by another app. Close it and turn the camera on again.")
                  : _("Your microphone is being used by another app. Close it and turn the microphone on again.");
  }
  const detail = error && error.message ? ` (${error.message})` : "";
  return (camera ? _("The camera could not be started.") : _("The microphone could not be started.")) + detail;
}

export class Devices {
  constructor(registry, prefs = {}) {
    this.registry = registry;
    this.cameraId = prefs.camera || "default";
    this.microphoneId = prefs.microphone || "default";
    this.speakerId = prefs.speaker || "";
    this.cameraOn = prefs.cameraOn !== false;
    this.microphoneOn = prefs.microphoneOn !== false;
    this.camera = null; // the SDK Camera in use (acquired while cameraOn)
    this.microphone = null;
    this.problems = { camera: "", microphone: "" };
    this.speakerList = [];
    this.onChange = () => {};
    this.onLost = () => {}; // (kind) a device stopped by itself
  }

  cameras() { return this.registry.getCameras(); }
  microphones() { return this.registry.getMicrophones(); }

  _find(list, id) {
    return list.find((device) => device.getId() === id) || list.find((device) => device.getId() === "default") || list[0] || null;
  }

  async refreshSpeakers() {
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      this.speakerList = all.filter((d) => d.kind === "audiooutput" && d.deviceId);
    } catch (error) {
      this.speakerList = [];
    }
    return this.speakerList;
  }

  /** Turns the camera on (acquires it); false with `problems.camera` set when it cannot. */
  async startCamera() {
    const camera = this._find(this.cameras(), this.cameraId);
    if (!camera) {
      this.problems.camera = explain({ name: "NotFoundError" }, "camera");
      return false;
    }
    try {
      await camera.acquire();
    } catch (error) {
      this.problems.camera = explain(error, "camera");
      return false;
    }
    if (this.camera && this.camera !== camera) this._release(this.camera);
    this.camera = camera;
    this.problems.camera = "";
    camera.setListener({ onCameraReleasedForcibly: () => this._lost("camera", camera) });
    return true;
  }

  async startMicrophone() {
    const microphone = this._find(this.microphones(), this.microphoneId);
    if (!microphone) {
      this.problems.microphone = explain({ name: "NotFoundError" }, "microphone");
      return false;
    }
    try {
      await microphone.acquire();
    } catch (error) {
      this.problems.microphone = explain(error, "microphone");
      return false;
    }
    if (this.microphone && this.microphone !== microphone) this._release(this.microphone);
    this.microphone = microphone;
    this.problems.microphone = "";
    microphone.setListener({ onMicrophoneReleasedForcibly: () => this._lost("microphone", microphone) });
    return true;
  }

  /** The device stopped by itself (unplugged, permission revoked): off, with a message. */
  _lost(kind, device) {
    if (kind === "camera" && this.camera === device) {
      this.camera = null;
      this.cameraOn = false;
    } else if (kind === "microphone" && this.microphone === device) {
      this.microphone = null;
      this.microphoneOn = false;
    } else {
      return;
    }
    this.problems[kind] = kind === "camera"
      ? _("Your camera stopped working (unplugged or blocked). Choose another one in Settings, or turn it on again.")
      : _("Your microphone stopped working (unplugged or blocked). Choose another one in Settings, or turn it on again.");
    this.onLost(kind);
  }

  stopCamera() {
    if (this.camera) this._release(this.camera);
    this.camera = null;
  }

  stopMicrophone() {
    if (this.microphone) this._release(this.microphone);
    this.microphone = null;
  }

  _release(device) {
    try {
      device.release();
    } catch (error) {
      // still acquiring: it is released by whoever started it
    }
  }

  /** Applies the on/off wishes: acquires or releases. Resolves when both are settled. */
  async apply() {
    const camera = this.cameraOn ? this.startCamera() : Promise.resolve(this.stopCamera());
    const microphone = this.microphoneOn ? this.startMicrophone() : Promise.resolve(this.stopMicrophone());
    const [cameraOk, microphoneOk] = await Promise.all([camera, microphone]);
    if (this.cameraOn && cameraOk === false) this.cameraOn = false;
    if (this.microphoneOn && microphoneOk === false) this.microphoneOn = false;
    this._remember();
  }

  async setCameraOn(on) {
    this.cameraOn = on;
    if (on) {
      if (!(await this.startCamera())) this.cameraOn = false;
    } else {
      this.stopCamera();
    }
    this._remember();
    return this.cameraOn;
  }

  async setMicrophoneOn(on) {
    this.microphoneOn = on;
    if (on) {
      if (!(await this.startMicrophone())) this.microphoneOn = false;
    } else {
      this.stopMicrophone();
    }
    this._remember();
    return this.microphoneOn;
  }

  async chooseCamera(id) {
    this.cameraId = id;
    if (this.cameraOn && !(await this.startCamera())) this.cameraOn = false;
    this._remember();
  }

  async chooseMicrophone(id) {
    this.microphoneId = id;
    if (this.microphoneOn && !(await this.startMicrophone())) this.microphoneOn = false;
    this._remember();
  }

  chooseSpeaker(id) {
    this.speakerId = id;
    this._remember();
  }

  _remember() {
    saveDevicePrefs({ camera: this.cameraId, microphone: this.microphoneId, speaker: this.speakerId,
                      cameraOn: this.cameraOn, microphoneOn: this.microphoneOn });
    this.onChange();
  }

  /** Fills the three pickers with the current lists and selections. */
  fillPickers({ camera, microphone, speaker }) {
    const fill = (select, items, selected, empty) => {
      if (!select) return;
      const options = items.map(([value, label]) => new Option(label, value, false, value === selected));
      if (!options.length) options.push(new Option(empty, "", true, true));
      select.replaceChildren(...options);
      select.disabled = !items.length;
    };
    const label = (device, fallback) => device.getLabel() || fallback;
    fill(camera, this.cameras().map((c, i) => [c.getId(), label(c, fmt(_("Camera %(number)s"), { number: i + 1 }))]),
         (this.camera && this.camera.getId()) || this.cameraId, _("No camera found"));
    fill(microphone, this.microphones().map((m, i) => [m.getId(), label(m, fmt(_("Microphone %(number)s"), { number: i + 1 }))]),
         (this.microphone && this.microphone.getId()) || this.microphoneId, _("No microphone found"));
    const canChooseSpeaker = typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;
    fill(speaker, canChooseSpeaker ? this.speakerList.map((s, i) => [s.deviceId, s.label || fmt(_("Speaker %(number)s"), { number: i + 1 })]) : [],
         this.speakerId || "default", canChooseSpeaker ? _("Default speaker") : _("System default speaker"));
  }

  /** Plays a media element on the chosen speaker (where the browser lets pages choose). */
  routeAudio(element) {
    if (this.speakerId && typeof element.setSinkId === "function" && element.sinkId !== this.speakerId) {
      element.setSinkId(this.speakerId).catch(() => {});
    }
  }
}

/** The microphone's loudness, 0..1, from its track (Web Audio analyser; works before joining). */
export class LevelMeter {
  constructor() {
    this.context = null;
    this.analyser = null;
    this.source = null;
    this.track = null;
    this.samples = null;
  }

  setTrack(track) {
    if (track === this.track) return;
    this.track = track || null;
    if (this.source) this.source.disconnect();
    this.source = null;
    if (!track) return;
    const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Context) return;
    if (!this.context) this.context = new Context();
    this.analyser = this.analyser || this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.samples = new Float32Array(this.analyser.fftSize);
    this.source = this.context.createMediaStreamSource(new globalThis.MediaStream([track]));
    this.source.connect(this.analyser);
    this.resume();
  }

  resume() {
    if (this.context && this.context.state === "suspended") this.context.resume().catch(() => {});
  }

  level() {
    if (!this.source || !this.analyser || !this.track || !this.track.enabled || this.track.readyState !== "live") return 0;
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const sample of this.samples) sum += sample * sample;
    const rms = Math.sqrt(sum / this.samples.length);
    return Math.min(1, rms * 4); // speech RMS is ~0.05-0.25: spread it over the meter
  }
}

/** Draws a level (0..1) into the three bars of a meter element. */
export function drawLevel(element, level) {
  const bars = element.querySelectorAll("i");
  const heights = [0.55, 1, 0.55];
  bars.forEach((bar, index) => {
    bar.style.height = `${Math.max(4, Math.round(4 + level * 18 * heights[index]))}px`;
  });
  element.classList.toggle("silent", level < 0.04);
}

/** The label of a microphone or camera button (whole sentences: they translate as such). */
export function toggleLabel(kind, on) {
  if (kind === "camera") return on ? _("Turn off camera (ctrl + e)") : _("Turn on camera (ctrl + e)");
  return on ? _("Turn off microphone (ctrl + d)") : _("Turn on microphone (ctrl + d)");
}
