"""The quality pages are reachable: every signed-in page's navigation links the live quality dashboard,
and a previous meeting's page links its connection quality."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_navigation_links_the_quality_dashboard(make_user):
    page = signed_in(make_user()).get("/meetings/").content.decode()
    assert '<a href="/quality/">Quality</a>' in page
    assert signed_in(make_user()).get("/quality/").status_code == 200


def test_a_previous_meeting_links_its_quality(admin, live_meeting):
    call = live_meeting(admin, ended=True)
    page = signed_in(admin).get(f"/meetings/previous/{call.instance.pk}")
    assert page.status_code == 200
    assert f'href="/quality/meetings/{call.instance.pk}/">Connection quality</a>' in page.content.decode()
