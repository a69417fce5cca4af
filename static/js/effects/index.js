// The room's media effects, between the devices and what gets shown and published: noise
// suppression on the microphone (noise.js) and background blur/replacement on the camera
// (background.js). `mediaEffects.microphone(mic)` / `.camera(cam)` return the supplier to use in
// place of the device (the SDK's MediaStream takes either). The person's choices are remembered
// (localStorage; an uploaded image only for this page), and their controls are wired here, not in
// the call: the noise switch (#set-noise) and background pickers (#set-background in Settings,
// #pick-background on the pre-join screen, #background-upload for an image of one's own).

import { toast } from "../room/ui.js";
import { BackgroundCamera, backgroundEffectsSupported, EFFECTS, loadBackgroundImage } from "./background.js";
import { DenoisedMicrophone, noiseSuppressionSupported } from "./noise.js";

const PREFS = "confer.effects";
const PICKERS = ["set-background", "pick-background"];
const UPLOAD = "upload";

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
    this.background = EFFECTS[prefs.background] && prefs.background !== UPLOAD ? prefs.background : "none";
    this.uploaded = null; // ImageBitmap of an uploaded image
    this.denoised = null; // the DenoisedMicrophone of the microphone in use
    this.backgrounded = null; // the BackgroundCamera of the camera in use
    this._wired = false;
  }

  /** The supplier to use for `microphone` (null stays null). */
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

  /** The supplier to use for `camera` (null stays null). */
  camera(camera) {
    this._wire();
    if (!camera) return null;
    if (!this.backgrounded || this.backgrounded.camera !== camera) {
      if (this.backgrounded) this.backgrounded.close();
      this.backgrounded = new BackgroundCamera(camera, {
        onState: (state) => this._renderBackground(state),
        onProblem: (message) => {
          this.background = "none";
          toast(message, { timeout: 10000 });
          this._renderBackground("off");
        },
      });
      this._applyBackground();
    }
    return this.backgrounded;
  }

  setNoiseSuppression(on) {
    this.noiseSuppression = Boolean(on);
    savePrefs({ noiseSuppression: this.noiseSuppression });
    if (this.denoised) this.denoised.setEnabled(this.noiseSuppression);
    this._renderNoise(this.denoised ? this.denoised.state : "off");
  }

  async setBackground(name, file = null) {
    if (name === UPLOAD) {
      if (!file) return;
      try {
        this.uploaded = await loadBackgroundImage(file);
      } catch (error) {
        toast("That file is not an image this browser can show. Try a JPEG or PNG.", { timeout: 8000 });
        this._renderBackground(this.backgrounded ? this.backgrounded.state : "off");
        return;
      }
    } else if (!EFFECTS[name]) {
      return;
    }
    this.background = name;
    savePrefs({ background: name });
    await this._applyBackground();
  }

  async _applyBackground() {
    this._renderBackground(this.backgrounded ? this.backgrounded.state : "off");
    if (!this.backgrounded) return;
    const name = this.background;
    const spec = EFFECTS[name];
    let effect = null;
    if (name === UPLOAD && this.uploaded) {
      effect = { mode: "image", image: this.uploaded };
    } else if (spec && spec.mode === "blur") {
      effect = { mode: "blur", radius: spec.radius };
    } else if (spec && spec.mode === "image") {
      try {
        effect = { mode: "image", image: await loadBackgroundImage(spec.url) };
      } catch (error) {
        toast("That background image could not be loaded.", { timeout: 8000 });
      }
    }
    if (name !== this.background) return; // chosen again meanwhile
    this.backgrounded.setEffect(effect);
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

  _renderBackground(state) {
    for (const id of PICKERS) {
      const select = document.getElementById(id);
      if (!select) continue;
      if (!select.options.length) {
        const options = Object.entries(EFFECTS).map(([value, { label }]) => new Option(label, value));
        options.push(new Option("Your image…", UPLOAD));
        select.replaceChildren(...options);
      }
      select.value = this.background;
      select.disabled = !backgroundEffectsSupported();
      select.dataset.state = state; // "on" once the processed track is what is shown and published
    }
  }

  _wire() {
    if (this._wired) return;
    this._wired = true;
    const box = document.getElementById("set-noise");
    if (box) box.addEventListener("change", () => this.setNoiseSuppression(box.checked));
    const upload = document.getElementById("background-upload");
    for (const id of PICKERS) {
      const select = document.getElementById(id);
      if (!select) continue;
      select.addEventListener("change", () => {
        if (select.value === UPLOAD && upload) {
          upload.click(); // the choice is made when a file is picked
          select.value = this.background;
        } else {
          this.setBackground(select.value);
        }
      });
    }
    if (upload) {
      upload.addEventListener("change", () => {
        const file = upload.files && upload.files[0];
        if (file) this.setBackground(UPLOAD, file);
        upload.value = "";
      });
    }
    this._renderNoise("off");
    this._renderBackground("off");
  }
}

export const mediaEffects = new MediaEffects();
