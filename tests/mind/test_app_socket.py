"""The application WebSocket /mind/<applicationId>/<conferenceId>.

Real Channels stack (config.asgi.application) over the real Redis channel layer; changes are made
through the REST API and the service functions the media side calls, and committed to PostgreSQL
(notifications are sent on commit, hence transactional_db).
"""

from datetime import timedelta

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from mind import services
from mind.models import Conference, Participant
from tests.mind.conftest import APPLICATION_ID, MindHttp, random_id

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mind(mind_application):
    return MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)


def socket(conference_id, token, *, use_query=False, application_id=APPLICATION_ID):
    path = f"/mind/{application_id}/{conference_id}"
    headers = [(b"host", b"localhost")]
    if use_query:
        path += f"?access_token={token}"
    else:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def opened(conference_id, token, **kw):
    communicator = socket(conference_id, token, **kw)
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def closed_with(communicator) -> int:
    message = await communicator.receive_output(timeout=10)
    assert message["type"] == "websocket.close", message
    return message["code"]



@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """Database connections opened by sync_to_async threads would outlive the test database."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()

async def call(fn, *args, **kwargs):
    return await sync_to_async(fn)(*args, **kwargs)


async def test_notifications_arrive_in_order_and_only_for_others_changes(mind):
    conference = await call(mind.create_conference, name="Standup")
    cid = conference["id"]
    ws = await opened(cid, mind.application_token)
    moderator = await call(mind.create_participant, cid, name="Mo", role="moderator")  # the app's own: silent
    attendee = await call(mind.create_participant, cid, name="At", role="attendee")  # silent too

    response = await call(mind.patch, cid, {"name": "Renamed"}, token=moderator["token"])
    assert response.status_code == 200
    await call(mind.patch, cid, {"name": "By the app"})  # silent
    await call(mind.patch, f"{cid}/participants/{attendee['id']}", {"role": "speaker"}, token=moderator["token"])
    participant = await call(Participant.objects.get, pk=attendee["id"])
    await call(services.set_online, participant, True)
    await call(services.set_media, participant, {"audio": True, "video": True}, None)
    message = (await call(mind.post, f"{cid}/messages", {"sendTo": APPLICATION_ID, "text": "hi"},
                          token=attendee["token"])).json()

    first = await ws.receive_json_from(timeout=10)
    assert first == {"type": "updated", "location": "/", "resource": {**conference, "name": "Renamed"}}
    second = await ws.receive_json_from(timeout=10)
    assert second["type"] == "updated"
    assert second["location"] == f"/participants/{attendee['id']}"
    assert second["resource"]["role"] == "speaker" and second["resource"]["online"] is False
    online = await ws.receive_json_from(timeout=10)
    assert (online["location"], online["resource"]["online"]) == (f"/participants/{attendee['id']}", True)
    media = await ws.receive_json_from(timeout=10)
    assert media["resource"]["media"] == {"audio": True, "video": True}
    assert media["resource"]["secondaryMedia"] == {"audio": False, "video": False}
    created = await ws.receive_json_from(timeout=10)
    assert created == {"type": "created", "location": f"/messages/{message['id']}", "resource": message}

    # The engine ends the conference itself (expiry): `deleted /`, then close 4000.
    await call(Conference.objects.filter(pk=cid).update, ending_at=timezone.now() - timedelta(seconds=1))
    assert await call(services.end_expired_conferences) == 1
    assert await ws.receive_json_from(timeout=10) == {"type": "deleted", "location": "/", "resource": None}
    assert await closed_with(ws) == 4000


async def test_messages_to_a_participant_do_not_reach_the_application(mind):
    cid = (await call(mind.create_conference))["id"]
    a = await call(mind.create_participant, cid, name="A")
    b = await call(mind.create_participant, cid, name="B")
    ws = await opened(cid, mind.application_token)
    await call(mind.post, f"{cid}/messages", {"sendTo": b["id"], "text": "private"}, token=a["token"])
    to_all = (await call(mind.post, f"{cid}/messages", {"sendTo": cid, "text": "public"}, token=a["token"])).json()
    assert (await ws.receive_json_from(timeout=10))["resource"] == to_all
    await ws.disconnect()


async def test_second_socket_closes_the_first_with_4001(mind):
    cid = (await call(mind.create_conference))["id"]
    moderator = await call(mind.create_participant, cid, role="moderator")
    first = await opened(cid, mind.application_token)
    second = await opened(cid, mind.application_token, use_query=True)
    assert await closed_with(first) == 4001
    await call(mind.patch, cid, {"name": "still heard"}, token=moderator["token"])
    assert (await second.receive_json_from(timeout=10))["resource"]["name"] == "still heard"
    await second.disconnect()


async def test_deleting_the_conference_closes_with_4000(mind):
    cid = (await call(mind.create_conference))["id"]
    ws = await opened(cid, mind.application_token)
    assert (await call(mind.delete, cid)).status_code == 200
    assert await closed_with(ws) == 4000


async def test_sockets_of_other_conferences_are_not_affected(mind):
    one = (await call(mind.create_conference))["id"]
    two = (await call(mind.create_conference))["id"]
    moderator_two = await call(mind.create_participant, two, role="moderator")
    ws_one = await opened(one, mind.application_token)
    ws_two = await opened(two, mind.application_token)
    await call(mind.delete, one)
    assert await closed_with(ws_one) == 4000
    await call(mind.patch, two, {"name": "two"}, token=moderator_two["token"])
    assert (await ws_two.receive_json_from(timeout=10))["resource"]["name"] == "two"
    await ws_two.disconnect()


@pytest.mark.parametrize("case", ["no token", "bad token", "participant token", "unknown conference", "other app"])
async def test_refused(mind, case):
    cid = (await call(mind.create_conference))["id"]
    participant = await call(mind.create_participant, cid, role="moderator")
    token, application_id = mind.application_token, APPLICATION_ID
    if case == "no token":
        token = ""
    elif case == "bad token":
        token = "nope"
    elif case == "participant token":
        token = participant["token"]
    elif case == "unknown conference":
        cid = random_id()
    else:
        application_id = random_id()
    communicator = socket(cid, token, application_id=application_id)
    connected, _ = await communicator.connect(timeout=10)
    assert not connected
