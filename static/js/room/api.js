// The room's calls to the server: join, wait, leave, and the host controls (/j/<id>/...).
// Every answer is JSON; errors carry {"error": "<a sentence to show>"}.

import { _, fmt } from "./i18n.js";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export class RoomApi {
  constructor(config) {
    this.urls = config.urls;
    this.csrfToken = config.csrfToken;
  }

  async _send(method, url, body, ticket) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    // The ticket travels in a header, never in the URL (query strings end up in logs).
    if (ticket) options.headers["X-Room-Ticket"] = ticket;
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = this.csrfToken;
      options.body = JSON.stringify(body || {});
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw new ApiError(_("Can't reach the server. Check your connection and try again."), 0);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      const message = (data && data.error) || (response.status === 403
        ? _("You are not allowed to do that. Reload the page and try again.")
        : fmt(_("Something went wrong (%(status)s). Try again."), { status: response.status }));
      throw new ApiError(message, response.status);
    }
    // Tickets expire after some minutes; every answer that carries a fresh one replaces it.
    if (data && data.ticket && this.onTicket) this.onTicket(data.ticket);
    return data || {};
  }

  join(body) { return this._send("POST", this.urls.join, body); }
  status(ticket) { return this._send("GET", this.urls.status, null, ticket); }
  leave(ticket) { return this._send("POST", this.urls.leave, {}, ticket); }
  lobby(ticket) { return this._send("GET", this.urls.lobby, null, ticket); }
  admit(ticket, id) { return this._send("POST", `${this.urls.lobby}/${encodeURIComponent(id)}/admit`, {}, ticket); }
  deny(ticket, id) { return this._send("POST", `${this.urls.lobby}/${encodeURIComponent(id)}/deny`, {}, ticket); }
  control(ticket, action) { return this._send("POST", this.urls.control, { action }, ticket); }
  roster(ticket) { return this._send("GET", this.urls.roster, null, ticket); }
  /** mute | ask-unmute | remove | make-cohost | revoke-cohost, on the participant with that media id. */
  act(ticket, participantId, action) {
    return this._send("POST", `${this.urls.participants}/${encodeURIComponent(participantId)}/${action}`, {}, ticket);
  }
}
