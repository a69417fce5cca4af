"""The engine's hook for quality samples (mind.realtime.session): the function named by
MIND_QUALITY_SAMPLE_HANDLER gets each sample; its ConferError is the socket's error; empty setting:
the engine refuses samples (it imports no product app, tests/core/test_import_layers.py)."""

import pytest
from django.conf import settings as django_settings

from mind.realtime import session
from tests.qos import hook_recorder


def test_the_named_handler_gets_the_sample_and_its_refusal_goes_back(settings):
    settings.MIND_QUALITY_SAMPLE_HANDLER = "tests.qos.hook_recorder.record"
    hook_recorder.calls.clear()
    session._quality_sample("p-1", "c-1", {"timestamp": 1})
    assert hook_recorder.calls == [("p-1", "c-1", {"timestamp": 1})]
    with pytest.raises(session.BadRequest) as refused:
        session._quality_sample("p-1", "c-1", "refuse")
    assert (refused.value.code, refused.value.message) == ("rate-limited", "too soon")


def test_without_a_handler_samples_are_refused(settings):
    settings.MIND_QUALITY_SAMPLE_HANDLER = ""
    with pytest.raises(session.BadRequest) as refused:
        session._quality_sample("p-1", "c-1", {})
    assert refused.value.code == "bad-request"


def test_the_product_handler_is_the_default():
    assert django_settings.MIND_QUALITY_SAMPLE_HANDLER == "qos.ingest.receive_sample"
