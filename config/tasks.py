from celery import shared_task


@shared_task
def echo(value):
    """Returns its argument: proves a round trip through the broker and a worker."""
    return value
