// Captions: lines from the engine's transcription notifications (`/transcription/...` with
// {participantId, text}), shown over the video while captions are on; "Transcribing" while the
// conference's transcription is started (`/transcription` {started}).

import { _ } from "./i18n.js";
import { h } from "./ui.js";

const KEEP = 3;

export class Captions {
  constructor({ box, indicator, nameOf }) {
    this.box = box;
    this.indicator = indicator;
    this.nameOf = nameOf;
    this.on = false;
    this.lines = [];
  }

  setOn(on) {
    this.on = on;
    this.box.hidden = !on;
    this.render();
  }

  /** One transcription notification: `location` "/transcription" (state) or below it (a line). */
  handle(resource, location) {
    if (!resource || typeof resource !== "object") return;
    if (location === "/transcription" && typeof resource.started === "boolean") {
      this.indicator.hidden = !resource.started;
      return;
    }
    const text = typeof resource.text === "string" ? resource.text.trim() : "";
    if (!text) return;
    const speaker = resource.participantId || "";
    const last = this.lines[this.lines.length - 1];
    if (last && last.speaker === speaker && last.text.length < 160) last.text = `${last.text} ${text}`;
    else this.lines.push({ speaker, text });
    this.lines = this.lines.slice(-KEEP);
    this.render();
  }

  render() {
    if (!this.on) return;
    if (!this.lines.length) {
      this.box.replaceChildren(h("p", { class: "hint" }, _("Captions will appear here when someone speaks.")));
      return;
    }
    this.box.replaceChildren(...this.lines.map((line) => h("p", { class: "caption", dataset: { participantId: line.speaker } },
      h("b", {}, this.nameOf(line.speaker)), line.text)));
  }
}
