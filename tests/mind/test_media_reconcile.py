"""The reconciliation task destroys Janus rooms and sessions the database no longer knows about."""

import pytest

from mind.engine import rooms
from mind.engine.janus import Janus, VideoRoomAdmin
from mind.engine.tasks import reconcile_janus
from mind.models import Conference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def test_reconcile_releases_rooms_and_sessions_of_deleted_conferences(mind, celery_worker):
    live_id = mind.create_conference(name="live")["id"]
    gone_id = mind.create_conference(name="gone")["id"]
    live, gone = Conference.objects.get(pk=live_id), Conference.objects.get(pk=gone_id)
    janus = Janus()
    with VideoRoomAdmin() as admin:
        for conference in (live, gone):
            rooms.ensure_room_sync(admin, conference)
    # A leftover participant session of the conference about to disappear (its process died).
    stale_session = janus.create_session()
    janus._post(f"{janus.url}/{stale_session}", {"janus": "attach", "plugin": "janus.plugin.videoroom",
                                                "opaque_id": f"mind:{gone_id}:4f0b5a0e-0000-4000-8000-000000000001"})
    Conference.objects.filter(pk=gone_id).delete()  # behind the engine's back: no signal, no cleanup

    released = reconcile_janus.delay().get(timeout=60)  # through a real worker

    # At least ours (rooms left by earlier tests' rolled-back conferences count too).
    assert released["rooms"] >= 1 and released["sessions"] >= 1
    with VideoRoomAdmin() as admin:
        assert admin.exists(live.janus_room_id)
        assert not admin.exists(gone.janus_room_id)
        rooms.destroy_room(live.id, live.janus_room_id, admin)
    assert stale_session not in janus.admin("list_sessions")["sessions"]
