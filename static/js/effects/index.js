// The room's media effects, between the devices and what gets published: noise suppression on the
// microphone (noise.js) and, for the camera, background blur/replacement (background.js).
// `mediaEffects.microphone(mic)` / `.camera(cam)` return the supplier to publish in place of the
// device (the SDK's MediaStream takes either). The person's choices are remembered (localStorage)
// and their switches live in the settings dialog (#set-noise), wired here, not in the call.

import { DenoisedMicrophone, noiseSuppressionSupported } from "./noise.js";

const PREFS = "confer.effects";

function loadPrefs() {
  try {
    return JSON.parse(localStorage.getItem(PREFS) || "{}") || {};
  } catch (error) {
    return {};
  }
}

function savePrefs(changes) {
  try {
    localStorage.setItem(PREFS, JSON.stringify({ ...loadPrefs(), ...changes }));
  } catch (error) {
    // private mode or full storage: the choice lasts for this page only
  }
}

class MediaEffects {
  constructor() {
    const prefs = loadPrefs();
    this.noiseSuppression = prefs.noiseSuppression !== false; // on by default
    this.denoised = null; // the DenoisedMicrophone of the microphone in use
    this._wired = false;
  }

  /** The supplier to publish for `microphone` (null stays null). */
  microphone(microphone) {
    this._wire();
    if (!microphone) return null;
    if (!this.denoised || this.denoised.microphone !== microphone) {
      if (this.denoised) this.denoised.close();
      this.denoised = new DenoisedMicrophone(microphone, { enabled: this.noiseSuppression,
                                                          onState: (state) => this._renderNoise(state) });
    }
    return this.denoised;
  }

  setNoiseSuppression(on) {
    this.noiseSuppression = Boolean(on);
    savePrefs({ noiseSuppression: this.noiseSuppression });
    if (this.denoised) this.denoised.setEnabled(this.noiseSuppression);
    this._renderNoise(this.denoised ? this.denoised.state : "off");
  }

  _renderNoise(state) {
    const box = document.getElementById("set-noise");
    if (!box) return;
    box.checked = this.noiseSuppression && state !== "unavailable";
    box.disabled = !noiseSuppressionSupported() || state === "unavailable";
    box.dataset.state = state; // "on" once the processed track is what is published
    const note = document.getElementById("set-noise-note");
    if (note) note.textContent = state === "unavailable" ? "Not available in this browser" : "";
  }

  _wire() {
    if (this._wired) return;
    this._wired = true;
    const box = document.getElementById("set-noise");
    if (box) box.addEventListener("change", () => this.setNoiseSuppression(box.checked));
    this._renderNoise("off");
  }
}

export const mediaEffects = new MediaEffects();
