// Connection quality in the room: the server rates each participant's connection from the samples
// their client reports (qos.rating, docs/qos.md) and sends a `confer.quality` instruction
// {participantId, rating: "good" | "fair" | "poor", name} to that person and to the hosts.
// The person gets a lasting notice with what helps; hosts get a short notice; the tile shows a
// "Poor connection" label (data-quality) until the rating recovers.

import { _ } from "./i18n.js";
import { toast } from "./ui.js";

const HINT = () => _("Your connection is poor. Turning your camera off or closing other tabs may help.");

export class QualityNotices {
  constructor({ myId, tileOf, turnCameraOff }) {
    this.myId = myId;
    this.tileOf = tileOf;
    this.turnCameraOff = turnCameraOff;
    this.notice = null;
  }

  show({ participantId, rating, name }) {
    if (!participantId || !["good", "fair", "poor"].includes(rating)) return;
    const tile = this.tileOf(participantId);
    if (tile) tile.el.dataset.quality = rating;
    const mine = participantId === this.myId();
    if (mine) {
      if (this.notice) this.notice.remove();
      this.notice = null;
      if (rating === "poor") {
        this.notice = toast(HINT(), { timeout: 0, action: { label: _("Turn camera off"), run: () => this.turnCameraOff() } });
        this.notice.dataset.quality = "poor";
      }
    } else if (rating === "poor") {
      toast(`${name || "Someone"} has a poor connection`, { timeout: 8000 });
    }
  }
}
