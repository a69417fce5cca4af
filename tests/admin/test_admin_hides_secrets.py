"""Secrets stay out of the admin's pages: the engine's media token of a meeting participant and the
token hash of an engine participant and a push device's token are not shown, a streaming's stream key is masked in the list
(django-oauth-toolkit's admin masks its own tokens), and generated secrets (a webhook subscription's
tokens, a recording's share token) are shown read-only, not as editable inputs."""

import pytest

from meetings.models import Participant
from mind.models import Participant as EngineParticipant
from mind.models import Streaming
from push.models import Device
from recordings.models import CloudRecording
from tests.admin.helpers import admin_path
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def test_tokens_and_hashes_are_not_shown(admin_client, one_of_each):
    participant = one_of_each[Participant]
    page = admin_client.get(admin_path(Participant, "change", participant))
    assert page.status_code == 200 and participant.media_token.encode() not in page.content

    engine_participant = one_of_each[EngineParticipant]
    page = admin_client.get(admin_path(EngineParticipant, "change", engine_participant))
    assert page.status_code == 200 and engine_participant.token_hash.encode() not in page.content

    device = one_of_each[Device]
    for page in (admin_client.get(admin_path(Device, "change", device)), admin_client.get(admin_path(Device))):
        assert page.status_code == 200 and device.token.encode() not in page.content


def test_stream_keys_are_masked_in_the_list(admin_client, one_of_each):
    assert "stream-key-123" in one_of_each[Streaming].url
    listing = admin_client.get(admin_path(Streaming))
    assert b"rtmp://live.example.com/" in listing.content and b"stream-key-123" not in listing.content


@pytest.mark.parametrize("model, field", [(Subscription, "secret_token"), (Subscription, "verification_token"),
                                          (CloudRecording, "share_token")])
def test_generated_secrets_are_read_only(admin_client, one_of_each, model, field):
    obj = one_of_each[model]
    page = admin_client.get(admin_path(model, "change", obj))
    assert page.status_code == 200
    assert f'name="{field}"'.encode() not in page.content  # no input: the form cannot change it
    assert getattr(obj, field).encode() in page.content  # shown to the operator who has to pass it on
