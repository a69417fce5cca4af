// Captions: lines from the engine's transcription notifications (`/transcription/utterances/...`
// with {participantId, text}), shown over the video while captions are on; "Transcribing" while
// the conference's transcription is started (`/transcription` {started}). While someone is still
// speaking, `/transcription/interim/<participantId>` carries their phrase so far: shown after
// their lines, greyed, and replaced by the phrase's final text (an empty text withdraws it).

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
    this.interim = new Map(); // participantId -> text of the phrase they are still speaking
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
    const speaker = resource.participantId || "";
    if (location.startsWith("/transcription/interim/")) {
      if (text) this.interim.set(speaker, text);
      else this.interim.delete(speaker);
      this.render();
      return;
    }
    if (!text) return;
    this.interim.delete(speaker); // the phrase's final text replaces what was shown meanwhile
    const last = this.lines[this.lines.length - 1];
    if (last && last.speaker === speaker && last.text.length < 160) last.text = `${last.text} ${text}`;
    else this.lines.push({ speaker, text });
    this.lines = this.lines.slice(-KEEP);
    this.render();
  }

  render() {
    if (!this.on) return;
    if (!this.lines.length && !this.interim.size) {
      this.box.replaceChildren(h("p", { class: "hint" }, _("Captions will appear here when someone speaks.")));
      return;
    }
    const line = (speaker, text, interim) => h("p", { class: interim ? "caption interim" : "caption",
                                                      dataset: { participantId: speaker } },
      h("b", {}, this.nameOf(speaker)), text);
    const interim = [...this.interim].map(([speaker, text]) => line(speaker, text, true));
    this.box.replaceChildren(...this.lines.slice(-Math.max(1, KEEP - interim.length)).map((l) => line(l.speaker, l.text, false)),
      ...interim);
  }
}
