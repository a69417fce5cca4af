"""The personal meeting room in the browser: the owner opens their personal_meeting_url (/j/<pmi>)
and is in the call as host; a guest joins from the room's join link."""

import pytest

from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def personal_room_link(user) -> tuple[int, str]:
    from meetings.actions import links
    from meetings.models import Meeting

    room = Meeting.objects.personal(user)
    return room.pk, links.join_url(room).split(f"/j/{room.pk}", 1)[1]


def test_the_owner_and_a_guest_meet_in_the_personal_room(room_people):
    from accounts import user_settings

    host = room_people.host("Hana Host")
    # The room starts from its owner's settings: cameras on at entry.
    orm(user_settings.update_settings, host.user, {"schedule_meeting": {"host_video": True, "participants_video": True}})
    pmi = host.user.pmi
    host.open(pmi).join()
    assert host.page.url.endswith(f"/j/{pmi}")

    number, query = orm(personal_room_link, host.user)
    assert number == pmi
    guest = room_people.guest().open(pmi, query).join("Gus Guest")
    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")
