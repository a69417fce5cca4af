"""POST /j/<id>/participants/<id>/mute and /ask-unmute: the host asks one person's client to mute,
or asks them to unmute (only they can). Both reach that person's session as a message from the
application: {"type": "confer.mute"} / {"type": "confer.unmute_request"}."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from meetings.models import Participant
from mind.realtime import notifications

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_call(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Gus")
    return created, host_session, guest


async def message_to(guest, act):
    """What the guest's participant group receives while `act()` runs."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(notifications.participant_group(guest.answer["media_participant_id"]), channel)
    response = await sync_to_async(act)()
    event = await asyncio.wait_for(layer.receive(channel), timeout=10)
    from django.db import connections

    await sync_to_async(connections.close_all)()
    return response, event["notification"]


async def test_the_host_mutes_one_person(in_call, settings):
    created, host_session, guest = in_call
    target = guest.answer["media_participant_id"]
    response, note = await message_to(guest, lambda: host_session.post(
        f"/j/{created['id']}/participants/{target}/mute", ticket=host_session.ticket))
    assert response.status_code == 200 and response.json()["action"] == "mute"
    assert note["type"] == "created" and note["location"].startswith("/messages/")
    assert note["resource"]["sentBy"] == str(settings.MIND_APPLICATION_ID) and note["resource"]["sentTo"] == target
    assert json.loads(note["resource"]["text"]) == {"type": "confer.mute"}
    muted = await sync_to_async(lambda: Participant.objects.get(key=guest.answer["participant_id"]).muted)()
    assert muted is True


async def test_the_host_asks_someone_to_unmute(in_call):
    created, host_session, guest = in_call
    target = guest.answer["media_participant_id"]
    response, note = await message_to(guest, lambda: host_session.post(
        f"/j/{created['id']}/participants/{target}/ask-unmute", ticket=host_session.ticket))
    assert response.status_code == 200
    assert json.loads(note["resource"]["text"]) == {"type": "confer.unmute_request"}


async def test_guests_cannot_mute_each_other(in_call, joiner):
    created, host_session, guest = in_call
    other = joiner()
    await sync_to_async(other.join)(created["id"], name="Olga")
    response = await sync_to_async(other.post)(
        f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/mute", ticket=other.ticket)
    assert response.status_code == 403
    from django.db import connections

    await sync_to_async(connections.close_all)()
