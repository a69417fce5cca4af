"""Zoom's meeting summary objects (docs/openapi/reference/zoom-meeting-summaries.openapi.json)."""

from __future__ import annotations

from meetings.representations import fmt
from summaries.models import MeetingSummary


def next_steps_text(summary: MeetingSummary) -> list[str]:
    """The next steps as shown: the host's edited list when there is one, else the generated steps."""
    if summary.edited and summary.edited.get("next_steps") is not None:
        return list(summary.edited["next_steps"])
    return [step["text"] for step in (summary.content or {}).get("next_steps", [])]


def summary_list_item(summary: MeetingSummary) -> dict:
    instance = summary.instance
    meeting = instance.meeting
    host = meeting.host
    item = {
        "meeting_host_id": host.public_id,
        "meeting_host_email": host.email,
        "meeting_uuid": instance.uuid,
        "meeting_id": meeting.pk,
        "meeting_topic": meeting.topic,
        "meeting_start_time": fmt(instance.started_at),
        "meeting_end_time": fmt(instance.ended_at) if instance.ended_at else None,
        "summary_start_time": fmt(instance.started_at),
        "summary_end_time": fmt(instance.ended_at) if instance.ended_at else None,
        "summary_created_time": fmt(summary.completed_at or summary.created_at),
        "summary_last_modified_time": fmt(summary.modified_at),
    }
    return {k: v for k, v in item.items() if v is not None}


def summary_object(summary: MeetingSummary) -> dict:
    content = summary.content or {}
    body = summary_list_item(summary)
    body.update({
        "summary_title": content.get("title", ""),
        "summary_overview": content.get("overview", ""),
        "summary_details": [{"label": d["label"], "summary": d["summary"]} for d in content.get("details", [])],
        "next_steps": [step["text"] for step in content.get("next_steps", [])],
    })
    if summary.edited:
        body["edited_summary"] = {"summary_details": summary.edited.get("summary_details", ""),
                                  "next_steps": list(summary.edited.get("next_steps", []))}
    return body


def as_markdown(summary: MeetingSummary) -> str:
    """The summary as Markdown (copy button, e-mail)."""
    content = summary.content or {}
    meeting = summary.instance.meeting
    out = [f"# {content.get('title') or 'Meeting summary'}", ""]
    out += [f"*{meeting.topic or 'Meeting'}, {summary.instance.started_at:%Y-%m-%d %H:%M} UTC*", ""]
    if summary.edited and summary.edited.get("summary_details"):
        out += ["## Summary (edited by the host)", "", summary.edited["summary_details"], ""]
    out += ["## Overview", "", content.get("overview", ""), ""]
    if content.get("details"):
        out += ["## Topics", ""]
        for detail in content["details"]:
            out += [f"### {detail['label']}", "", detail["summary"], ""]
    steps = next_steps_text(summary)
    if steps:
        out += ["## Next steps", ""]
        done = set(summary.done_steps or [])
        out += [f"- [{'x' if i in done else ' '}] {step}" for i, step in enumerate(steps)]
        out.append("")
    if content.get("decisions"):
        out += ["## Decisions", ""] + [f"- {d}" for d in content["decisions"]] + [""]
    if content.get("keywords"):
        out += ["Keywords: " + ", ".join(content["keywords"]), ""]
    return "\n".join(out).strip() + "\n"


def summary_status(summary: MeetingSummary) -> dict:
    """The extension's status object (docs/openapi/extra.openapi.json: MeetingSummaryStatus)."""
    body = {
        "meeting_id": summary.instance.meeting_id,
        "meeting_uuid": summary.instance.uuid,
        "status": summary.state,
        "style": summary.style,
        "backend": summary.used_backend or summary.backend or "",
        "requested_time": fmt(summary.created_at),
        "transcript_complete": summary.transcript_complete,
    }
    if summary.word_limit:
        body["word_limit"] = summary.word_limit
    if summary.language:
        body["language"] = summary.language
    if summary.state == MeetingSummary.State.FAILED:
        body["failure_reason"] = summary.failure_reason
    if summary.completed_at:
        body["completed_time"] = fmt(summary.completed_at)
    return body


def assistant_object(assistant) -> dict:
    return {"id": assistant.pk, "name": assistant.name, "instructions": assistant.instructions,
            "created_by": assistant.created_by.public_id if assistant.created_by else "",
            "created_at": fmt(assistant.created_at), "updated_at": fmt(assistant.updated_at)}


def assistant_run_object(run) -> dict:
    body = {"id": run.pk, "assistant_id": run.assistant_id, "assistant_name": run.assistant.name,
            "meeting_id": run.instance.meeting_id, "meeting_uuid": run.instance.uuid, "status": run.state,
            "instructions": run.instructions, "answer": run.answer, "quotes": run.quotes, "backend": run.backend,
            "requested_time": fmt(run.created_at)}
    if run.completed_at:
        body["completed_time"] = fmt(run.completed_at)
    if run.failure_reason:
        body["failure_reason"] = run.failure_reason
    return body
