// The shared whiteboard of the room, on Fabric.js (npm `fabric`, vendored under static/vendor/: a
// maintained canvas library whose ES module runs without a build step; Excalidraw and tldraw need
// React and a bundler). Free drawing with a pen; each finished stroke is one element (Fabric's JSON
// with our `id`).
//
// The server keeps the board (whiteboards app): a stroke is POSTed to /j/<id>/whiteboard, stored
// with a new version, and the server tells everyone through the engine's messaging
// (`confer.whiteboard` with the version); clients then fetch the state. A late joiner fetches it when
// opening the board. After a change of their own, a browser uploads the board as PNG, which the
// server keeps with the meeting's record. The host may restrict drawing to hosts and co-hosts.
//
// The panel shows `data-version` and `data-elements` (what is drawn now) for people's tools and tests.

import { toast } from "../room/ui.js";

const FABRIC = new URL("../../vendor/fabric/dist/index.min.mjs", import.meta.url).href;
const WIDTH = 1280;
const HEIGHT = 720;
const PEN = { color: "#1a73e8", width: 4 };
const PNG_DELAY_MS = 800;

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Whiteboard {
  constructor({ url, csrfToken, ticket }) {
    this.url = url;
    this.csrfToken = csrfToken;
    this.ticket = ticket; // () => the current room ticket
    this.panel = document.getElementById("whiteboard");
    this.canvasElement = document.getElementById("wb-canvas");
    this.fabric = null;
    this.canvas = null;
    this.version = -1;
    this.objects = new Map(); // element id -> Fabric object on the canvas
    this.mayDraw = true;
    this.fetching = null;
    this.wanted = 0; // the newest version announced
    this.pngTimer = null;
    this.told = false;
    this._wire();
  }

  get isOpen() { return this.panel && !this.panel.hidden; }

  async toggle() {
    if (this.isOpen) return this.close();
    return this.open();
  }

  async open() {
    this.panel.hidden = false;
    await this._ensureCanvas();
    this._fit();
    await this.refresh();
  }

  close() {
    this.panel.hidden = true;
  }

  /** The server says the board is now at `version` (an engine message from the application). */
  onChanged(version) {
    this.wanted = Math.max(this.wanted, Number(version) || 0);
    if (this.isOpen) {
      this.refresh();
    } else if (!this.told && version > this.version) {
      this.told = true;
      toast("Someone is drawing on the whiteboard", { timeout: 8000, action: { label: "Open", run: () => this.open() } });
    }
  }

  async refresh() {
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      try {
        do {
          this.again = false;
          const state = await this._request("GET");
          if (state) await this._apply(state);
        } while (this.again);
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }

  // --- the server ---------------------------------------------------------------------------------

  async _request(method, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-Room-Ticket": this.ticket() } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = this.csrfToken;
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(this.url, options);
    } catch (error) {
      toast("Can't reach the server: the whiteboard may be out of date.", { timeout: 6000 });
      return null;
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      toast((data && data.error) || `The whiteboard could not be updated (${response.status}).`, { timeout: 6000 });
      return null;
    }
    return data;
  }

  async _change(body) {
    const state = await this._request("POST", body);
    if (state) {
      await this._apply(state);
      this._schedulePng();
    } else {
      await this.refresh(); // refused: show what the board really holds
    }
  }

  _schedulePng() {
    clearTimeout(this.pngTimer);
    this.pngTimer = setTimeout(() => this._uploadPng(), PNG_DELAY_MS);
  }

  async _uploadPng() {
    if (!this.canvas) return;
    const version = this.version;
    this.canvas.renderAll();
    // toBlob, not fetch(dataURL): the page's CSP (connect-src) refuses data: URLs.
    const blob = await new Promise((resolve) => this.canvasElement.toBlob(resolve, "image/png"));
    if (!blob) return;
    await fetch(`${this.url}/png?version=${version}`, {
      method: "POST", credentials: "same-origin", body: blob,
      headers: { "Content-Type": "image/png", "X-Room-Ticket": this.ticket(), "X-CSRFToken": this.csrfToken },
    }).catch(() => {});
  }

  // --- the canvas -----------------------------------------------------------------------------------

  async _ensureCanvas() {
    if (this.canvas) return;
    this.fabric = await import(FABRIC);
    const { Canvas, PencilBrush } = this.fabric;
    this.canvas = new Canvas(this.canvasElement, { width: WIDTH, height: HEIGHT, backgroundColor: "#ffffff",
                                                   isDrawingMode: true, selection: false });
    const brush = new PencilBrush(this.canvas);
    brush.color = PEN.color;
    brush.width = PEN.width;
    this.canvas.freeDrawingBrush = brush;
    this.canvas.on("path:created", ({ path }) => {
      path.id = newId();
      path.selectable = false;
      this.objects.set(path.id, path);
      this._change({ op: "add", element: path.toObject(["id"]) });
    });
    window.addEventListener("resize", () => this._fit());
  }

  /** Shows the 1280x720 board as large as the panel allows (Fabric maps the pointer back). */
  _fit() {
    if (!this.canvas) return;
    const surface = this.panel.querySelector(".whiteboard-surface");
    const scale = Math.min(surface.clientWidth / WIDTH, surface.clientHeight / HEIGHT) || 1;
    this.canvas.setDimensions({ width: `${Math.floor(WIDTH * scale)}px`, height: `${Math.floor(HEIGHT * scale)}px` },
                              { cssOnly: true });
  }

  async _apply(state) {
    this.mayDraw = Boolean(state.may_draw);
    this._renderControls(state);
    if (!this.canvas || state.version === this.version) return;
    const wanted = new Map(state.elements.map((element) => [element.id, element]));
    for (const [id, object] of this.objects) {
      if (!wanted.has(id)) {
        this.canvas.remove(object);
        this.objects.delete(id);
      }
    }
    const missing = state.elements.filter((element) => !this.objects.has(element.id));
    if (missing.length) {
      const objects = await this.fabric.util.enlivenObjects(missing);
      objects.forEach((object, index) => {
        object.id = missing[index].id;
        object.selectable = false;
        object.evented = false;
        this.objects.set(object.id, object);
        this.canvas.add(object);
      });
    }
    this.canvas.requestRenderAll();
    this.version = state.version;
    this.panel.dataset.version = String(state.version);
    this.panel.dataset.elements = String(this.objects.size);
  }

  _renderControls(state) {
    if (this.canvas) this.canvas.isDrawingMode = this.mayDraw;
    document.getElementById("wb-note").textContent = this.mayDraw ? "" : "Only hosts and co-hosts can draw";
    document.getElementById("wb-clear").hidden = !this.mayDraw;
    document.getElementById("wb-restrict-row").hidden = !state.may_restrict;
    document.getElementById("wb-restrict").checked = Boolean(state.hosts_only);
  }

  _wire() {
    if (!this.panel) return;
    document.getElementById("wb-close").addEventListener("click", () => this.close());
    document.getElementById("wb-clear").addEventListener("click", () => this._change({ op: "clear" }));
    document.getElementById("wb-restrict").addEventListener("change", (event) =>
      this._change({ op: "restrict", hosts_only: event.target.checked }));
    document.getElementById("wb-download").addEventListener("click", () => {
      if (!this.canvas) return;
      const link = document.createElement("a");
      link.href = this.canvas.toDataURL({ format: "png", multiplier: 1 });
      link.download = "whiteboard.png";
      link.click();
    });
  }
}
