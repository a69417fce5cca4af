// The video area: one tile per person (name, mute badge, raised hand, speaking highlight, pin),
// laid out in an adaptive grid that keeps tiles as large as possible; and the stage, which shows
// a screen share or a pinned person large while the tiles move to a filmstrip beside it.

import { _, fmt } from "./i18n.js";
import { icon } from "./icons.js";
import { avatarColor, h, initials } from "./ui.js";

const GAP = 10;
const SPEAKING = 0.05; // audio level (0..1) above which someone counts as speaking
const HOLD_MS = 700;   // keep the highlight this long after the voice drops (no flicker between words)

class Tile {
  constructor(id, { name, self, onPin }) {
    this.id = id;
    this.self = self;
    this.video = h("video", { autoplay: true, playsinline: true });
    this.video.muted = Boolean(self); // my own tile never plays my voice back
    this.avatar = h("b");
    this.nameLabel = h("div", { class: "tile-name" });
    this.micChip = h("span", { class: "chip mic-off", title: _("Muted") }, icon("micoff"));
    this.voiceChip = h("span", { class: "chip voice", title: _("Speaking") }, h("i"), h("i"), h("i"));
    this.handChip = h("span", { class: "chip hand", title: _("Hand raised") }, icon("hand"));
    this.pinButton = h("button", { type: "button", class: "round tile-pin", "aria-label": _("Pin"), title: _("Pin to the stage"),
                                   onclick: () => onPin(id) }, icon("pin"));
    this.el = h("div", { class: `tile no-video${self ? " self" : ""}`, dataset: { participantId: id } },
      this.video, h("div", { class: "avatar" }, this.avatar),
      h("div", { class: "tile-state" }, this.handChip, this.voiceChip, this.micChip),
      this.nameLabel, this.pinButton);
    this.lastSpoke = 0;
    this.update({ name, audio: false, video: false, hand: false });
  }

  update({ name, audio, video, hand }) {
    if (name !== undefined) {
      const shown = this.self ? fmt(_("%(name)s (You)"), { name }) : name;
      this.nameLabel.textContent = shown;
      this.el.dataset.name = name;
      if (!this.picture) this.avatar.textContent = initials(name);
      this.avatar.style.background = avatarColor(this.id);
      this.video.setAttribute("aria-label", fmt(_("%(name)s's video"), { name: shown }));
    }
    if (audio !== undefined) {
      this.el.dataset.audio = audio ? "on" : "off";
      this.micChip.hidden = audio;
      if (!audio) this.setLevel(0);
    }
    if (video !== undefined) {
      this.el.dataset.video = video ? "on" : "off";
      this.el.classList.toggle("no-video", !video);
    }
    if (hand !== undefined) {
      this.el.dataset.hand = hand ? "up" : "down";
      this.handChip.hidden = !hand;
    }
  }

  /** A profile picture instead of the initials while the camera is off ("" = the initials). */
  setPicture(url) {
    if ((this.picture || "") === url) return;
    this.picture = url;
    this.avatar.classList.toggle("picture", Boolean(url));
    if (url) {
      this.avatar.replaceChildren(h("img", { src: url, alt: "" }));
    } else {
      this.avatar.textContent = initials(this.el.dataset.name || "");
    }
  }

  setStream(stream) {
    if (this.video.mediaStream !== stream) this.video.mediaStream = stream;
  }

  setLevel(level, now = Date.now()) {
    if (level > SPEAKING) this.lastSpoke = now;
    const speaking = now - this.lastSpoke < HOLD_MS && this.el.dataset.audio !== "off";
    this.el.classList.toggle("speaking", speaking);
    this.voiceChip.hidden = !speaking;
    if (speaking) {
      const bars = this.voiceChip.querySelectorAll("i");
      const scale = [0.6, 1, 0.6];
      bars.forEach((bar, i) => { bar.style.height = `${Math.round(5 + Math.min(1, level * 3) * 9 * scale[i])}px`; });
    }
    return speaking;
  }
}

export class VideoArea {
  constructor({ wrap, grid, stage, stageVideo, stageLabel, onTilesChanged = () => {} }) {
    this.wrap = wrap;
    this.grid = grid;
    this.stage = stage;
    this.stageVideo = stageVideo;
    this.stageLabel = stageLabel;
    this.tiles = new Map();
    this.pinned = null;
    this.presentation = null; // {id, stream, label}
    this.onTilesChanged = onTilesChanged;
    this.routeAudio = () => {};
    new ResizeObserver(() => this.layout()).observe(wrap);
  }

  /** Profile pictures by participant id (the room's roster); tiles made later get theirs too. */
  setPictures(pictures) {
    this.pictures = pictures;
    for (const [id, tile] of this.tiles) tile.setPicture(pictures.get(id) || "");
  }

  upsert(id, { name, self = false, stream = null, audio, video, hand }) {
    let tile = this.tiles.get(id);
    if (!tile) {
      tile = new Tile(id, { name, self, onPin: (pid) => this.togglePin(pid) });
      if (this.pictures && this.pictures.get(id)) tile.setPicture(this.pictures.get(id));
      this.tiles.set(id, tile);
      this.grid.append(tile.el);
      this.routeAudio(tile.video);
      this.onTilesChanged();
    }
    tile.update({ name, audio, video, hand });
    if (stream !== undefined && stream !== null) tile.setStream(stream);
    this.layout();
    return tile;
  }

  remove(id) {
    const tile = this.tiles.get(id);
    if (!tile) return;
    tile.video.mediaStream = null;
    tile.el.remove();
    this.tiles.delete(id);
    if (this.pinned === id) this.pinned = null;
    this.onTilesChanged();
    this.renderStage();
  }

  get(id) { return this.tiles.get(id); }

  togglePin(id) {
    this.pinned = this.pinned === id ? null : id;
    this.renderStage();
  }

  /** A screen share on the stage (null: nobody presents). */
  setPresentation(presentation) {
    this.presentation = presentation;
    this.renderStage();
  }

  renderStage() {
    for (const tile of this.tiles.values()) {
      tile.el.classList.toggle("pinned", tile.id === this.pinned);
      tile.pinButton.setAttribute("aria-label", tile.id === this.pinned ? _("Unpin") : _("Pin"));
    }
    const pinnedTile = this.pinned && this.tiles.get(this.pinned);
    let show = null;
    if (pinnedTile) {
      show = { stream: pinnedTile.video.mediaStream, label: pinnedTile.nameLabel.textContent, kind: "pinned", id: pinnedTile.id,
               mirror: pinnedTile.self };
    } else if (this.presentation) {
      show = { ...this.presentation, kind: "presentation" };
    }
    this.stage.hidden = !show;
    this.wrap.classList.toggle("has-stage", Boolean(show));
    if (show) {
      this.stage.dataset.kind = show.kind;
      this.stage.dataset.participantId = show.id || "";
      // A pinned person's voice already plays from their tile; a screen share's audio plays here.
      this.stageVideo.muted = show.kind !== "presentation" || Boolean(show.local);
      this.stageVideo.style.transform = show.mirror ? "scaleX(-1)" : "";
      if (this.stageVideo.mediaStream !== show.stream) this.stageVideo.mediaStream = show.stream;
      this.stageLabel.textContent = show.label;
      this.routeAudio(this.stageVideo);
    } else {
      this.stageVideo.mediaStream = null;
      delete this.stage.dataset.kind;
    }
    this.layout();
  }

  /** Levels (0..1) by participant id; highlights who is speaking. Returns the loudest speaker's id. */
  setLevels(levels) {
    const now = Date.now();
    let loudest = null;
    let max = SPEAKING;
    for (const [id, tile] of this.tiles) {
      const level = levels.get(id) || 0;
      if (tile.setLevel(level, now) && level > max) {
        max = level;
        loudest = id;
      }
    }
    return loudest;
  }

  /** Chooses the column count that makes 16:9 tiles largest in the space there is. */
  layout() {
    const count = this.tiles.size;
    if (!count) return;
    if (this.wrap.classList.contains("has-stage")) {
      this.grid.style.gridTemplateColumns = "";
      this.grid.style.gridAutoRows = "";
      this.grid.style.alignContent = "";
      for (const tile of this.tiles.values()) tile.el.style.width = "";
      return;
    }
    const width = this.grid.clientWidth || this.wrap.clientWidth;
    const height = this.wrap.clientHeight;
    if (!width || !height) return;
    const narrow = window.matchMedia("(max-width: 700px)").matches;
    if (narrow) {
      // Phones: fill the screen; one column up to two people, then two.
      const cols = count <= 2 ? 1 : 2;
      const rows = Math.ceil(count / cols);
      const cellHeight = Math.max(90, Math.floor((height - (rows - 1) * 6) / rows));
      this.grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
      this.grid.style.gridAutoRows = `${cellHeight}px`;
      this.grid.style.alignContent = "stretch";
      return;
    }
    let best = { cols: 1, tileWidth: 0 };
    for (let cols = 1; cols <= count; cols += 1) {
      const rows = Math.ceil(count / cols);
      const maxWidth = (width - (cols - 1) * GAP) / cols;
      const maxHeight = (height - (rows - 1) * GAP) / rows;
      const tileWidth = Math.min(maxWidth, (maxHeight * 16) / 9);
      if (tileWidth > best.tileWidth) best = { cols, tileWidth };
    }
    const tileWidth = Math.floor(best.tileWidth);
    this.grid.style.gridTemplateColumns = `repeat(${best.cols}, ${tileWidth}px)`;
    this.grid.style.gridAutoRows = `${Math.floor((tileWidth * 9) / 16)}px`;
    this.grid.style.alignContent = "center";
  }
}
