"""Runs the sip process: every SIP call (dial-in on SIP_BIND:SIP_PORT, dial-out, forward, hang-up)."""

from django.core.management.base import BaseCommand

from mind.engine.sip_process import run_sip_process


class Command(BaseCommand):
    help = "Holds the SIP calls of the embedded engine until stopped (SIGTERM or Ctrl-C)."

    def handle(self, *args, **options):
        run_sip_process()
