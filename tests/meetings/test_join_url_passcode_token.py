"""join_url's pwd (Zoom's encrypted_password) keeps the value links already sent out carry: the first
24 bytes of the passcode's HMAC-SHA256 under the site's secret, URL-safe base64; a new secret gives
new tokens (the per-process memory of tokens is keyed by the secret)."""

import base64
from urllib.parse import urlencode

import pytest
from django.utils.crypto import salted_hmac

from meetings.actions.links import encrypted_password, join_url
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def expected_token(meeting: Meeting) -> str:
    digest = salted_hmac("meetings.encrypted-password", f"{meeting.pk}:{meeting.password}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def test_the_token_is_the_passcodes_hmac_under_the_current_secret(host, settings):
    meeting = Meeting.objects.create(account=host.account, host=host, password="Pa55-word")
    assert encrypted_password(meeting) == expected_token(meeting)
    assert join_url(meeting) == f"{settings.SITE_ROOT}/j/{meeting.pk}?{urlencode({'pwd': expected_token(meeting)})}"
    before = encrypted_password(meeting)

    settings.SECRET_KEY = "another secret of at least fifty characters, for this test only"
    assert encrypted_password(meeting) == expected_token(meeting) != before
    meeting.password = ""
    assert encrypted_password(meeting) == "" and join_url(meeting) == f"{settings.SITE_ROOT}/j/{meeting.pk}"
