"""Runs the live transcriber: listens to the microphones of every conference being transcribed
or recorded and stores what is said as utterances (mind.engine.transcriber)."""

from django.core.management.base import BaseCommand

from mind.engine.transcriber import run_transcriber


class Command(BaseCommand):
    help = "Transcribes live conferences (captions) until stopped (SIGTERM or Ctrl-C)."

    def handle(self, *args, **options):
        run_transcriber()
