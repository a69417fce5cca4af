"""seed_demo gives the demo user a couple of meetings, once."""

import pytest
from django.core.management import call_command

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_demo_user_gets_meetings_once(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    meetings = Meeting.objects.filter(host__email="demo@example.com")
    assert sorted(meetings.values_list("topic", flat=True)) == ["Design review", "Team sync"]
    assert Meeting.objects.get(topic="Team sync").occurrences.count() == 8
    assert all(str(m.pk) in first for m in meetings)
    call_command("seed_demo")
    assert capsys.readouterr().out == first and meetings.count() == 2
