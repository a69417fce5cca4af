import uuid

from config.tasks import echo


def test_task_round_trips_through_the_broker(celery_worker):
    token = str(uuid.uuid4())
    result = echo.delay({"token": token})
    assert result.get(timeout=30) == {"token": token}
    assert result.successful()
