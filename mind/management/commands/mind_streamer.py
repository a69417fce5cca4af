"""Runs the streamer: pushes every streaming of a live conference to its RTMP(S) URL."""

from django.core.management.base import BaseCommand

from mind.engine.streaming import run_streamer


class Command(BaseCommand):
    help = "Pushes the Mind API's streamings (RTMP/RTMPS) until stopped (SIGTERM or Ctrl-C)."

    def handle(self, *args, **options):
        run_streamer()
