"""`{% summary_panel instance %}`: the summary block of a past meeting's page."""

from django import template

from summaries import questions, representations
from summaries.backends import BACKENDS
from summaries.models import Assistant, AssistantRun, MeetingSummary, Style

register = template.Library()


@register.inclusion_tag("summaries/_panel.html", takes_context=True)
def summary_panel(context, instance):
    summary = MeetingSummary.objects.filter(instance=instance).first()
    steps = representations.next_steps_text(summary) if summary and summary.content else []
    done = set(summary.done_steps or []) if summary else set()
    runs = list(AssistantRun.objects.filter(instance=instance).select_related("assistant")[:20])
    request = context.get("request")
    question = (request.GET.get("q", "") if request is not None else "").strip()[:1000]
    answer = questions.answer(question, summary.transcript) if question and summary and summary.transcript else None
    return {
        "request": context.get("request"), "csrf_token": context.get("csrf_token"),
        "instance": instance, "summary": summary, "content": (summary.content or {}) if summary else {},
        "steps": [(i, step, i in done) for i, step in enumerate(steps)],
        "markdown": representations.as_markdown(summary) if summary and summary.content else "",
        "styles": Style.choices, "backends": BACKENDS,
        "assistants": Assistant.objects.filter(account_id=instance.meeting.account_id),
        "runs": runs, "runs_pending": any(r.state in ("pending", "running") for r in runs),
        "question": question, "answer": answer,
    }
