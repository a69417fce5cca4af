"""A MIND_QUALITY_SAMPLE_HANDLER for the engine-hook test: records its calls, refuses on request."""

from config.errors import ConferError

calls: list[tuple] = []


def record(participant_id, conference_id, sample) -> None:
    if sample == "refuse":
        raise ConferError("too soon", code="rate-limited")
    calls.append((participant_id, conference_id, sample))
