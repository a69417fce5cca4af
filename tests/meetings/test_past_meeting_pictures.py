"""A previous meeting's participant list shows each signed-in participant's profile picture (the host
sees the people who were in their meeting), initials for everyone else."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts import pictures
from meetings.models import Instance, Meeting, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def give_picture(user):
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 90, 200)).save(out, "PNG")
    pictures.set_picture(user, SimpleUploadedFile("p.png", out.getvalue()))


def test_participants_appear_with_their_pictures(create_meeting, host, make_user):
    colleague = make_user(display_name="Cleo Colleague")
    give_picture(colleague)
    meeting = Meeting.objects.get(pk=create_meeting(topic="Retro")["id"])
    started = timezone.now() - timedelta(hours=2)
    instance = Instance.objects.create(meeting=meeting, started_at=started, ended_at=started + timedelta(hours=1))
    for user, name in ((colleague, "Cleo Colleague"), (None, "Gus Guest")):
        Participant.objects.create(meeting=meeting, instance=instance, user=user, name=name, status="left",
                                   joined_at=started, left_at=started + timedelta(minutes=30))
    browser = Client()
    browser.force_login(host)
    page = browser.get(f"/meetings/previous/{instance.pk}").content.decode()
    assert f'<img src="{pictures.picture_url(colleague)}" alt="">' in page
    assert '<span class="avatar small" aria-hidden="true">G</span> Gus Guest' in page
    other = Client()
    other.force_login(make_user())
    assert other.get(f"/meetings/previous/{instance.pk}").status_code == 404
