"""Webhook events of the summaries app: `meeting.summary_completed`, `meeting.summary_updated`."""

from __future__ import annotations

from summaries.models import MeetingSummary
from summaries.representations import summary_list_item
from webhooks import events as webhooks


def emit(summary: MeetingSummary, event: str) -> None:
    """Queues `event` for the account's endpoints (sent after commit): the summaries list item plus its title."""
    payload = summary_list_item(summary)
    payload["summary_title"] = (summary.content or {}).get("title", "")
    webhooks.emit(summary.account, event, payload)
