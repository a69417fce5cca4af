"""Participant sessions' side of the notifications: what reaches the per-conference and
per-participant channel-layer groups the participant WebSocket joins (mind.notifications)."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from mind.realtime import notifications
from tests.mind.conftest import APPLICATION_ID, MindHttp

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class Listener:
    """A channel in some groups, like a participant session consumer."""

    def __init__(self):
        self.layer = get_channel_layer()

    async def join(self, *groups):
        self.channel = await self.layer.new_channel()
        for group in groups:
            await self.layer.group_add(group, self.channel)
        return self

    async def next(self):
        import asyncio

        return await asyncio.wait_for(self.layer.receive(self.channel), timeout=10)



@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """Database connections opened by sync_to_async threads would outlive the test database."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()

async def call(fn, *args, **kwargs):
    return await sync_to_async(fn)(*args, **kwargs)


async def test_participants_hear_the_applications_changes_too(mind_application):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = (await call(mind.create_conference))["id"]
    listener = await Listener().join(notifications.conference_group(cid))
    created = await call(mind.create_participant, cid, name="Ann")
    event = await listener.next()
    assert event["type"] == "mind.notification"
    assert event["notification"]["type"] == "created"
    assert event["notification"]["location"] == f"/participants/{created['id']}"
    assert "token" not in event["notification"]["resource"]
    await call(mind.patch, cid, {"name": "New"})
    assert (await listener.next())["notification"] == {
        "type": "updated", "location": "/", "resource": (await call(mind.get, cid)).json()}
    await call(mind.post, f"{cid}/recording/start")
    note = (await listener.next())["notification"]
    assert note["location"] == "/" and note["resource"]["recording"] == {"started": True}
    await call(mind.patch, f"{cid}/transcription", {"started": True})
    assert (await listener.next())["notification"] == {
        "type": "updated", "location": "/transcription", "resource": {"started": True}}


async def test_private_message_reaches_only_its_addressee(mind_application):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = (await call(mind.create_conference))["id"]
    ann = await call(mind.create_participant, cid, name="Ann")
    bob = await call(mind.create_participant, cid, name="Bob")
    everyone = await Listener().join(notifications.conference_group(cid))
    bob_only = await Listener().join(notifications.participant_group(bob["id"]))
    message = (await call(mind.post, f"{cid}/messages", {"sendTo": bob["id"], "text": "psst"}, token=ann["token"])).json()
    await call(mind.post, f"{cid}/messages", {"sendTo": cid, "text": "all"}, token=ann["token"])
    assert (await bob_only.next())["notification"]["resource"] == message
    assert (await everyone.next())["notification"]["resource"]["text"] == "all"  # not "psst"


async def test_deleted_participant_is_told_and_its_session_closed(mind_application):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = (await call(mind.create_conference))["id"]
    ann = await call(mind.create_participant, cid, name="Ann")
    everyone = await Listener().join(notifications.conference_group(cid))
    own = await Listener().join(notifications.participant_group(ann["id"]))
    await call(mind.delete, f"{cid}/participants/{ann['id']}")
    assert (await everyone.next())["notification"] == {
        "type": "deleted", "location": f"/participants/{ann['id']}", "resource": None}
    assert await own.next() == {"type": "mind.session.end", "code": 4001}


async def test_deleted_conference_ends_every_session_with_4000(mind_application):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = (await call(mind.create_conference))["id"]
    everyone = await Listener().join(notifications.conference_group(cid))
    await call(mind.delete, cid)
    assert (await everyone.next())["notification"] == {"type": "deleted", "location": "/", "resource": None}
    assert await everyone.next() == {"type": "mind.session.end", "code": 4000}
