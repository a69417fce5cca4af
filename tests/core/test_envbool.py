"""Yes/no settings accept only clear spellings; anything else stops the start (config/env.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " true "])
def test_true_spellings(monkeypatch, value):
    monkeypatch.setenv("CONFER_TEST_FLAG", value)
    assert envbool("CONFER_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "OFF"])
def test_false_spellings(monkeypatch, value):
    monkeypatch.setenv("CONFER_TEST_FLAG", value)
    assert envbool("CONFER_TEST_FLAG", True) is False


@pytest.mark.parametrize("value", ["", "  "])
def test_unset_or_empty_is_the_default(monkeypatch, value):
    monkeypatch.setenv("CONFER_TEST_FLAG", value)
    assert envbool("CONFER_TEST_FLAG", True) is True
    monkeypatch.delenv("CONFER_TEST_FLAG")
    assert envbool("CONFER_TEST_FLAG", False) is False


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y", "nope", "-1"])
def test_unclear_values_are_refused(monkeypatch, value):
    monkeypatch.setenv("CONFER_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="CONFER_TEST_FLAG"):
        envbool("CONFER_TEST_FLAG", False)


def test_from_a_file_too(monkeypatch, tmp_path):
    flag = tmp_path / "flag"
    flag.write_text("maybe\n")
    monkeypatch.setenv("CONFER_TEST_FLAG_FILE", str(flag))
    with pytest.raises(ImproperlyConfigured):
        envbool("CONFER_TEST_FLAG", False)

