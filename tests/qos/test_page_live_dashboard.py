"""The live dashboard (/quality/): live meetings with participant counts and quality flags, and those
that ended in the last days; it reloads itself (data-reload-after); only meetings the person may see."""

from django.test import Client
from django.utils import timezone


def test_live_and_recent_meetings(admin, live_meeting, raw_sample, make_user):
    live = live_meeting(admin, topic="Standup")
    live_meeting(admin, topic="Retro", ended=True)
    live_meeting(make_user(email="x@example.org", role="owner"), topic="Not ours")
    raw_sample(live.people[1], timezone.now(), kind="audio", jitter_ms=75)
    client = Client()
    client.force_login(admin)

    page = client.get("/quality/").content.decode()
    live_table = page.split('id="live-meetings"')[1].split("</table>")[0]
    recent_table = page.split('id="recent-meetings"')[1].split("</table>")[0]
    assert "Standup" in live_table and "Retro" not in live_table
    assert 'data-quality-audio="poor"' in live_table and "<td>2</td>" in live_table
    assert f'href="/quality/meetings/{live.instance.pk}/"' in live_table
    assert "Retro" in recent_table and "Not ours" not in page
    assert 'data-reload-after="15000"' in page
