import pytest


@pytest.fixture(autouse=True)
def whiteboard_settings(fast_password_hashing, mind_application, settings, tmp_path):
    """The embedded engine as the meetings' Mind application (tests/support/meetings.py); kept PNGs
    in a throwaway media folder."""
    settings.MEDIA_ROOT = tmp_path
