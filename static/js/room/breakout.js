// Breakout rooms in the room page (server side: meetings/actions/breakout.py).
//
// Everyone: the state comes from GET /j/<id>/breakout, fetched at connect and whenever the server
// announces a change through the engine ({"type": "confer.breakout", "version": n} from the
// application). When the rooms open, a person assigned to a room moves there by themselves
// (once per opening and assignment: "Return to main room" is not undone); moving is POST
// /j/<id>/breakout/move, then the call leaves its session and joins the room's conference
// (Call.switchConference) on the same page. The bar at the top says where you are, shows the
// closing countdown in every room and the way back; a host's broadcast shows under it. When the
// countdown is over everyone in a room moves back to the main room.
//
// Hosts and co-hosts: More -> Breakout rooms opens the panel (create, rename, assign by hand or
// evenly, let people choose, countdown, open, visit, broadcast, close). Attendees see the panel to
// choose a room when the host lets them.

import { _, fmt } from "./i18n.js";
import { $, elapsed, h, toast } from "./ui.js";

const POLL_MS = 3000;
const COUNTDOWNS = [0, 10, 30, 60, 120, 300];

export class Breakout {
  constructor(call) {
    this.call = call;
    this.base = `/j/${call.config.meetingId}/breakout`;
    this.state = null;
    this.version = -1;
    this.moving = false;
    this.deadline = null;
    this.timer = null;
    this.pollTimer = null;
    this.storeKey = `confer.breakout.${call.config.meetingId}`;
    const saved = this._load();
    this.followed = saved.followed || ""; // "<round>:<room>" already moved into
    this.seenMessage = saved.seenMessage || 0;
    this.panel = $("breakout");
    this.body = $("breakout-body");
    $("breakout-close-panel").addEventListener("click", () => this.closePanel());
    $("breakout-return").addEventListener("click", () => this.moveTo(null));
    $("breakout-join-mine").addEventListener("click", () => this._joinMine());
    $("breakout-message-close").addEventListener("click", () => { $("breakout-message").hidden = true; });
  }

  get inRoom() { return Boolean(this.state && this.state.current_room); }
  get isOpen() { return !this.panel.hidden; }

  _load() {
    try { return JSON.parse(sessionStorage.getItem(this.storeKey)) || {}; } catch (error) { return {}; }
  }

  _save() {
    try {
      sessionStorage.setItem(this.storeKey, JSON.stringify({ followed: this.followed, seenMessage: this.seenMessage }));
    } catch (error) { /* private mode: kept in memory */ }
  }

  _send(method, url, body) {
    return this.call.api._send(method, url, body, this.call.ticket);
  }

  // --- following the state --------------------------------------------------------------------

  /** The call joined a conference (the main one or a room's). */
  connected() { this.refresh(); }

  /** The server announced version `version`. */
  onChanged(version) {
    if (Number(version) > this.version) this.refresh();
  }

  async refresh() {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    try {
      const state = await this._send("GET", this.base);
      this.state = state;
      this.version = state.version;
      this._render();
      this._follow();
    } catch (error) {
      // the next announcement or poll tries again
    } finally {
      this.fetching = false;
    }
    if (this.again) {
      this.again = false;
      this.refresh();
    }
  }

  _follow() {
    const s = this.state;
    if (!s || this.moving) return;
    const here = s.current_room ? s.current_room.id : null;
    if (s.state === "open" && s.my_room) {
      const key = `${s.round}:${s.my_room}`;
      if (this.followed !== key) {
        this.followed = key;
        this._save();
        if (here !== s.my_room) this.moveTo(s.my_room);
      }
    } else if (here !== null && (s.state === "closed" || s.state === "draft")) {
      this.moveTo(null);
    }
    if (s.state === "open" && !s.my_room && s.allow_choose && here === null && !this.call.canModerate && !this.toldChoose) {
      this.toldChoose = true;
      toast(_("Breakout rooms are open. Choose one to join."), { timeout: 15000,
        action: { label: _("Choose"), run: () => this.openPanel() } });
    }
  }

  async moveTo(roomId) {
    if (this.moving) return;
    this.moving = true;
    this.call.moving = true; // the old session's end is not the end of the call
    try {
      const answer = await this._send("POST", `${this.base}/move`, { room: roomId });
      await this.call.switchConference(answer);
      toast(answer.room ? fmt(_("You're in %(room)s"), { room: answer.room.name }) : _("You're back in the main room"));
    } catch (error) {
      toast(error.message, { timeout: 8000 });
      await this._recover();
    } finally {
      this.moving = false;
      this.call.moving = false;
    }
    await this.refresh();
  }

  /** After a failed move: join wherever the server says this person's media is. */
  async _recover() {
    const status = await this.call.api.status(this.call.ticket).catch(() => null);
    if (!status || status.state !== "admitted") return;
    if (status.conference && status.conference.id !== this.call.answer.conference.id) {
      await this.call.switchConference(status);
    }
  }

  /** The room's conference ended under us: back to the main room, or the meeting is over. */
  async roomEnded() {
    const status = await this.call.api.status(this.call.ticket).catch(() => null);
    if (status && status.state === "admitted") {
      this.state = { ...this.state, current_room: null };
      return this.moveTo(null);
    }
    return this.call._goodbye(status && status.state === "removed" ? "removed" : "ended");
  }

  _joinMine() {
    const s = this.state;
    if (s && s.my_room) this.moveTo(s.my_room);
    else this.openPanel();
  }

  // --- the bar, the message, the countdown ----------------------------------------------------

  _render() {
    const s = this.state;
    const bar = $("breakout-bar");
    const here = s.current_room;
    const open = s.state === "open" || s.state === "closing";
    bar.hidden = !(here || (open && (s.my_room || s.allow_choose || s.state === "closing")));
    bar.dataset.roomId = here ? String(here.id) : "";
    bar.dataset.state = s.state;
    const mine = s.rooms.find((room) => room.id === s.my_room);
    $("breakout-where").textContent = here ? fmt(_("You're in %(room)s"), { room: here.name }) : _("You're in the main room");
    $("breakout-return").hidden = !here;
    $("breakout-join-mine").hidden = Boolean(here) || s.state !== "open" || !(mine || s.allow_choose);
    $("breakout-join-mine").textContent = mine ? fmt(_("Join %(room)s"), { room: mine.name }) : _("Choose a room");
    this._countdown(s.state === "closing" ? s.closes_in : null);
    if (s.message && s.message.id > this.seenMessage) {
      this.seenMessage = s.message.id;
      this._save();
      $("breakout-message-text").textContent = fmt(_("Message from %(name)s: %(text)s"), { name: s.message.from, text: s.message.text });
      $("breakout-message").hidden = false;
    }
    if (this.isOpen) this._renderPanel();
  }

  _countdown(seconds) {
    clearInterval(this.timer);
    const label = $("breakout-countdown");
    if (seconds === null || seconds === undefined) {
      this.deadline = null;
      label.hidden = true;
      return;
    }
    this.deadline = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.max(0, this.deadline - Date.now());
      label.hidden = false;
      label.textContent = fmt(_("Breakout rooms close in %(time)s"), { time: elapsed(left) });
      if (left > 0) return;
      clearInterval(this.timer);
      // Over: everyone in a room goes back; the next read closes the rooms on the server too.
      if (this.inRoom) this.moveTo(null);
      else this.refresh();
    };
    tick();
    this.timer = setInterval(tick, 250);
  }

  // --- the panel --------------------------------------------------------------------------------

  /** The More menu's entry: hosts and co-hosts always; others while they may choose a room. */
  menuItem() {
    const s = this.state;
    const mayChoose = s && s.state === "open" && s.allow_choose;
    if (!this.call.canModerate && !mayChoose) return null;
    return { id: "breakout", label: _("Breakout rooms"), icon: "people", run: () => this.togglePanel() };
  }

  togglePanel() { return this.isOpen ? this.closePanel() : this.openPanel(); }

  async openPanel() {
    this.panel.hidden = false;
    await this.refresh();
    this._renderPanel();
    clearInterval(this.pollTimer);
    // Who is in which room changes without announcements (people move themselves): hosts poll.
    if (this.call.canModerate) this.pollTimer = setInterval(() => this.refresh(), POLL_MS);
  }

  closePanel() {
    this.panel.hidden = true;
    clearInterval(this.pollTimer);
  }

  async act(action, body = {}) {
    try {
      const state = await this._send("POST", `${this.base}/manage`, { action, ...body });
      this.state = state;
      this.version = state.version;
      this._render();
      this._follow();
      return state;
    } catch (error) {
      toast(error.message, { timeout: 8000 });
      return null;
    }
  }

  _renderPanel() {
    const s = this.state;
    if (!s) return;
    // Polls come every few seconds: redraw only what changed, and never under the host's typing.
    const shown = JSON.stringify({ ...s, closes_in: null });
    const typing = this.body.contains(document.activeElement) && document.activeElement.matches("input:not([type=checkbox]), select");
    if (shown === this.shown || typing) return;
    this.shown = shown;
    this.panel.dataset.state = s.state;
    const manage = s.may_manage;
    const editing = s.state === "draft" || s.state === "closed";
    const parts = [];
    if (manage && editing) {
      const count = h("input", { type: "number", id: "breakout-count", min: "1", max: "50", value: String(s.rooms.length || 2),
                                 "aria-label": _("Number of rooms") });
      parts.push(h("div", { class: "breakout-row" },
        h("label", { for: "breakout-count" }, _("Rooms")), count,
        h("button", { type: "button", id: "breakout-create", class: "pill outline small",
                      onclick: () => this.act("create", { count: Number(count.value) }) },
          s.rooms.length ? _("Recreate rooms") : _("Create rooms"))));
    }
    parts.push(h("div", { class: "breakout-rooms" }, ...s.rooms.map((room) => this._roomRow(room, s))));
    if (manage) {
      if (s.unassigned && s.unassigned.length) {
        parts.push(h("h3", {}, _("Not assigned")),
          h("div", { class: "breakout-people" }, ...s.unassigned.map((person) => this._personRow(person, null, s))));
      }
      parts.push(...this._managerControls(s, editing));
    }
    this.body.replaceChildren(...parts);
  }

  _roomRow(room, s) {
    const here = s.current_room && s.current_room.id === room.id;
    const manage = s.may_manage;
    const title = manage && s.state !== "closing"
      ? h("input", { class: "breakout-room-name", value: room.name, maxlength: "64", "aria-label": _("Room name"),
                     onchange: (event) => { event.target.blur(); this.act("rename", { room: room.id, name: event.target.value }); } })
      : h("b", { class: "breakout-room-name" }, room.name);
    const mayEnter = s.state === "open" && !here && (manage || s.allow_choose || s.my_room === room.id);
    const row = h("div", { class: "breakout-room", dataset: { roomId: String(room.id), name: room.name } },
      h("div", { class: "breakout-room-head" }, title,
        h("span", { class: "breakout-count", title: _("People in this room now") }, String(room.count)),
        here ? h("span", { class: "breakout-here" }, _("You're here")) : null,
        mayEnter ? h("button", { type: "button", class: "pill outline small breakout-join",
                                 onclick: () => this.moveTo(room.id) }, _("Join")) : null));
    if (manage) {
      row.append(h("div", { class: "breakout-people" }, ...(room.people || []).map((person) => this._personRow(person, room, s)),
        ...(room.emails || []).map((email) => h("div", { class: "breakout-email", title: _("Pre-assigned, not in the meeting yet") }, email))));
    }
    return row;
  }

  _personRow(person, room, s) {
    const select = h("select", { class: "breakout-assign", "aria-label": fmt(_("Room for %(name)s"), { name: person.name }),
                                 onchange: (event) => {
                                   event.target.blur();
                                   this.act("assign", { participant: person.id, room: event.target.value ? Number(event.target.value) : null });
                                 } },
      h("option", { value: "" }, room ? _("Take out of the room") : _("Assign to…")),
      ...s.rooms.map((option) => h("option", { value: String(option.id), selected: room && option.id === room.id }, option.name)));
    return h("div", { class: "breakout-person", dataset: { participantId: person.id, name: person.name } },
      h("span", {}, person.name, room && person.here ? h("small", {}, ` · ${_("in the room")}`) : null), select);
  }

  _managerControls(s, editing) {
    const controls = [];
    const allow = h("input", { type: "checkbox", id: "breakout-allow-choose", checked: s.allow_choose,
                               onchange: (event) => this.act("settings", { allow_choose: event.target.checked }) });
    const countdown = h("select", { id: "breakout-countdown-seconds",
                                    onchange: (event) => {
                                      event.target.blur();
                                      this.act("settings", { countdown_seconds: Number(event.target.value) });
                                    } },
      ...COUNTDOWNS.map((seconds) => h("option", { value: String(seconds), selected: seconds === s.countdown_seconds },
        seconds ? fmt(_("%(seconds)s seconds"), { seconds }) : _("No countdown"))));
    controls.push(h("div", { class: "breakout-settings" },
      h("label", { class: "switch-row" }, allow, _("Let people choose their room")),
      h("label", {}, _("Countdown when closing"), countdown)));
    if (editing) {
      controls.push(h("div", { class: "panel-actions" },
        h("button", { type: "button", id: "breakout-auto", class: "pill outline small", disabled: !s.rooms.length,
                      onclick: () => this.act("auto_assign") }, _("Assign automatically")),
        h("button", { type: "button", id: "breakout-open", class: "pill primary small", disabled: !s.rooms.length,
                      onclick: () => this.act("open") }, _("Open rooms"))));
    } else {
      // One input for the panel's life: what the host is typing survives a redraw.
      this.broadcastText = this.broadcastText || h("input", { id: "breakout-broadcast-text", maxlength: "500",
                                                             placeholder: _("Message to all rooms"), "aria-label": _("Message to all rooms") });
      const text = this.broadcastText;
      const send = () => {
        if (!text.value.trim()) return;
        this.act("broadcast", { message: text.value }).then((done) => { if (done) text.value = ""; });
      };
      controls.push(h("form", { class: "breakout-broadcast", onsubmit: (event) => { event.preventDefault(); send(); } },
        text, h("button", { type: "submit", id: "breakout-broadcast-send", class: "pill outline small" }, _("Broadcast"))));
      if (s.state === "open") {
        controls.push(h("div", { class: "panel-actions" },
          h("button", { type: "button", id: "breakout-close", class: "pill danger small",
                        onclick: () => this.act("close", { countdown_seconds: s.countdown_seconds }) }, _("Close all rooms"))));
      }
    }
    return controls;
  }
}
