// The chat panel: Mind messages to everyone or to one person, newest at the bottom.

import { _, fmt } from "./i18n.js";
import { clockTime, h } from "./ui.js";

const MAX_TEXT = 2000;

export class Chat {
  constructor({ log, form, input, send, to, badge, isOpen }) {
    this.log = log;
    this.input = input;
    this.sendButton = send;
    this.to = to;
    this.badge = badge;
    this.isOpen = isOpen;
    this.unread = 0;
    this.onSend = async () => {};
    input.addEventListener("input", () => { send.disabled = !input.value.trim(); });
    form.addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });
  }

  async submit() {
    const text = this.input.value.trim().slice(0, MAX_TEXT);
    if (!text) return;
    const toId = this.to.value;
    const toName = toId ? this.to.selectedOptions[0].textContent : null;
    this.sendButton.disabled = true;
    try {
      await this.onSend(text, toId || null);
      this.input.value = "";
      this.add({ from: _("You"), text, privateTo: toName, mine: true });
    } catch (error) {
      this.add({ from: "", text: fmt(_("Your message was not sent: %(reason)s"), { reason: error.message }), system: true });
    } finally {
      this.sendButton.disabled = !this.input.value.trim();
      this.input.focus();
    }
  }

  add({ from, text, privateTo = null, privately = false, mine = false, system = false, time = new Date() }) {
    const header = h("header", {}, h("b", {}, from), h("time", { datetime: time.toISOString() }, clockTime(time)),
                     privateTo ? h("em", {}, fmt(_("to %(name)s (privately)"), { name: privateTo })) : privately ? h("em", {}, _("privately to you")) : null);
    const item = h("div", { class: `msg${mine ? " mine" : ""}${system ? " system" : ""}`, dataset: { from } },
                   system ? null : header, h("p", {}, text));
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.log.append(item);
    if (atBottom || mine) this.log.scrollTop = this.log.scrollHeight;
    if (!mine && !system && !this.isOpen()) {
      this.unread += 1;
      this.renderBadge();
    }
  }

  markRead() {
    this.unread = 0;
    this.renderBadge();
  }

  renderBadge() {
    this.badge.hidden = !this.unread;
    this.badge.textContent = this.unread > 9 ? "9+" : String(this.unread);
  }

  /** Keeps the "To" picker in step with who is in the call. */
  setRecipients(people) {
    const selected = this.to.value;
    const options = [new Option(_("Everyone"), "")];
    for (const { id, name } of people) options.push(new Option(name, id));
    this.to.replaceChildren(...options);
    this.to.value = people.some((p) => p.id === selected) ? selected : "";
  }
}
