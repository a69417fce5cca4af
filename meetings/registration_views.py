"""The registration page of a meeting that requires registration: /meetings/<id>/register.

Anyone with the link may register (CSRF-protected, rate-limited per address); the page then shows
the join link (approved at once) or says the host will approve. `meetings.actions.registration`
does the work, as for `POST /v2/meetings/{id}/registrants`.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from config.errors import ConferError
from meetings import representations
from meetings.actions import links, registration
from meetings.models import Meeting, Occurrence, Registrant

REGISTRATIONS_PER_HOUR = "20/h"


class RegistrationForm(forms.Form):
    first_name = forms.CharField(max_length=64)
    last_name = forms.CharField(max_length=64, required=False)
    email = forms.EmailField(max_length=128)
    occurrence_ids = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                               label="Occurrences")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        choosing = meeting.type == Meeting.Type.RECURRING_FIXED_TIME and meeting.setting("registration_type") in (2, 3)
        if choosing:
            occurrences = meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE)[:60]
            cast(forms.MultipleChoiceField, self.fields["occurrence_ids"]).choices = [
                (str(o.occurrence_id), representations.local_time_text(o.start_time, meeting.timezone))
                for o in occurrences]
        else:
            del self.fields["occurrence_ids"]


@require_http_methods(["GET", "POST"])
def register(request, meeting_id):
    meeting = Meeting.objects.alive().select_related("host").filter(pk=meeting_id).first()
    if meeting is None or not meeting.requires_registration:
        return render(request, "room/missing.html", {"meeting_id": meeting_id}, status=404)
    context = {"meeting": meeting,
               "when": representations.local_time_text(meeting.start_time, meeting.timezone) if meeting.start_time else "",
               "contact_name": meeting.setting("contact_name"), "contact_email": meeting.setting("contact_email")}
    form = RegistrationForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        if is_ratelimited(request, group="meetings:register", key="ip", rate=REGISTRATIONS_PER_HOUR, increment=True):
            form.add_error(None, "Too many registrations from your address. Try again later.")
            return render(request, "meetings/register.html", {**context, "form": form}, status=429)
        data = {key: form.cleaned_data[key] for key in ("first_name", "last_name", "email")}
        try:
            registrant, _ = registration.register(
                meeting, data, occurrence_ids=[int(o) for o in form.cleaned_data.get("occurrence_ids", [])])
        except ConferError as exc:
            form.add_error(None, exc.bare_message)
        else:
            approved = registrant.status == Registrant.Status.APPROVED
            return render(request, "meetings/registered.html", {
                **context, "registrant": registrant, "approved": approved,
                "join_url": links.registrant_join_url(registrant) if approved else ""})
    return render(request, "meetings/register.html", {**context, "form": form},
                  status=400 if request.method == "POST" else 200)
