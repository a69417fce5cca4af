// The participants panel: who is in the call (hosts and co-hosts labelled, muted and raised-hand
// state), host controls per person (mute, ask to unmute, co-host, remove, pin), mute all, end for
// all, and the waiting room with admit / deny.

import { _, fmt } from "./i18n.js";
import { icon } from "./icons.js";
import { avatarColor, h, initials, showMenu } from "./ui.js";

const ROLE_LABEL = { host: _("Meeting host"), alternative_host: _("Host"), co_host: _("Co-host") };

export class People {
  constructor(elements, actions) {
    this.el = elements; // {list, count, badge, lobby, lobbyList, lobbyCount, hostTools, endAll}
    this.actions = actions; // {act(id, action), admit(id), deny(id), pin(id)}
    this.menu = h("div", { class: "menu", role: "menu", hidden: true, dataset: { temporary: "" } });
  }

  /** people: [{id, name, self, audio, hand, role}], me: {canModerate, isHost} */
  render(people, me) {
    this.el.count.textContent = `(${people.length})`;
    this.el.badge.textContent = String(people.length);
    this.el.hostTools.hidden = !me.canModerate;
    this.el.endAll.hidden = !me.isHost;
    const sorted = [...people].sort((a, b) => (b.self - a.self) || (b.hand - a.hand) || a.name.localeCompare(b.name));
    this.el.list.replaceChildren(...sorted.map((person) => this._row(person, me)));
  }

  _row(person, me) {
    const role = ROLE_LABEL[person.role] || "";
    const row = h("div", { class: "person", dataset: { participantId: person.id, name: person.name } },
      h("span", { class: "dot", style: `background:${avatarColor(person.id)}` }, initials(person.name)),
      h("div", { class: "who-name" }, h("div", {}, person.self ? fmt(_("%(name)s (You)"), { name: person.name }) : person.name),
        role ? h("small", {}, role) : null),
      h("span", { class: "state" },
        person.hand ? h("span", { class: "hand", title: _("Hand raised") }, icon("hand", "icon small")) : null,
        icon(person.audio ? "mic" : "micoff", "icon small")));
    if (me.canModerate && !person.self) {
      const trigger = h("button", { type: "button", class: "icon-button", "aria-label": fmt(_("More actions for %(name)s"), { name: person.name }),
                                    dataset: { menuTrigger: "" }, "aria-haspopup": "menu" }, icon("more"));
      trigger.addEventListener("click", () => this._openMenu(row, person, me));
      row.append(trigger);
    }
    return row;
  }

  _openMenu(row, person, me) {
    const hostRole = person.role === "host" || person.role === "alternative_host";
    // The menu lives beside the list, not in the row: the list re-renders as people change.
    this.el.list.parentElement.append(this.menu);
    this.menu.style.right = "12px";
    this.menu.style.top = `${row.offsetTop + row.offsetHeight - 4}px`;
    this.menu.dataset.participantId = person.id;
    showMenu(this.menu, [
      { id: "pin", label: _("Pin to the stage"), icon: "pin", run: () => this.actions.pin(person.id) },
      person.audio
        ? { id: "mute", label: fmt(_("Mute %(name)s"), { name: person.name }), icon: "micoff", run: () => this.actions.act(person.id, "mute") }
        : { id: "ask-unmute", label: _("Ask to unmute"), icon: "mic", run: () => this.actions.act(person.id, "ask-unmute") },
      me.isHost && !hostRole ? (person.role === "co_host"
        ? { id: "revoke-cohost", label: _("Remove co-host"), icon: "star", run: () => this.actions.act(person.id, "revoke-cohost") }
        : { id: "make-cohost", label: _("Make co-host"), icon: "star", run: () => this.actions.act(person.id, "make-cohost") }) : null,
      hostRole ? null : "-",
      hostRole || (person.role === "co_host" && !me.isHost) ? null
        : { id: "remove", label: _("Remove from the call"), icon: "remove", danger: true,
            run: () => this.actions.act(person.id, "remove", person.name) },
    ]);
  }

  setLobby(waiting) {
    this.el.lobby.hidden = !waiting.length;
    this.el.lobbyCount.textContent = `(${waiting.length})`;
    this.el.lobbyList.replaceChildren(...waiting.map((person) => h("div", { class: "lobby-row", dataset: { participantId: person.participant_id } },
      h("span", {}, person.name),
      h("button", { type: "button", class: "pill admit", onclick: () => this.actions.admit(person.participant_id) }, _("Admit")),
      h("button", { type: "button", class: "pill deny", onclick: () => this.actions.deny(person.participant_id) }, _("Deny")))));
  }
}
