"""A series digest: what the summarised instances of one meeting (a recurring series) add up to.

- `decisions`: every decision, oldest first, with the instance it was taken in;
- `open_action_items`: next steps not ticked done (host edits replace generated steps), the same
  step said again in a later instance kept once (the latest);
- `recurring_topics`: topic labels and keywords that come back in at least two instances, by how
  many instances they appear in.
"""

from __future__ import annotations

from collections import Counter

from meetings.representations import fmt
from summaries.models import MeetingSummary
from summaries.representations import next_steps_text


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def series_digest(meeting) -> dict:
    summaries = list(MeetingSummary.objects.filter(instance__meeting=meeting, state=MeetingSummary.State.COMPLETED)
                     .select_related("instance").order_by("instance__started_at"))
    open_items: dict[str, dict]
    instances, decisions, open_items = [], [], {}
    topic_counts: Counter = Counter()
    names: dict[str, str] = {}
    for summary in summaries:
        content, instance = summary.content or {}, summary.instance
        where = {"meeting_uuid": instance.uuid, "start_time": fmt(instance.started_at)}
        instances.append({**where, "summary_title": content.get("title", "")})
        decisions += [{"text": d, **where} for d in content.get("decisions", [])]
        generated = {s["text"]: s for s in content.get("next_steps", [])}
        done = set(summary.done_steps or [])
        for index, text in enumerate(next_steps_text(summary)):
            if index in done:
                open_items.pop(_key(text), None)
                continue
            step = generated.get(text, {})
            open_items.pop(_key(text), None)
            open_items[_key(text)] = {"text": text, "owner": step.get("owner", ""), "due": step.get("due", ""), **where}
        seen = set()
        for term in [d["label"] for d in content.get("details", [])] + content.get("keywords", []):
            key = term.lower()
            if key not in seen:
                seen.add(key)
                topic_counts[key] += 1
                names.setdefault(key, term)
    recurring = [{"topic": names[key], "meetings": count}
                 for key, count in sorted(topic_counts.items(), key=lambda kv: (-kv[1], kv[0])) if count >= 2]
    return {"meeting_id": meeting.pk, "meeting_topic": meeting.topic, "instances": instances,
            "decisions": decisions, "open_action_items": list(open_items.values()), "recurring_topics": recurring}
