"""Quality-of-service data: raw samples from the participants' browsers and their per-minute roll-up.

One `QosSample` row is one media stream in one client sample (a client sample every 5 s carries its
outgoing streams and each stream it receives). Raw rows expire after `QOS_RAW_RETENTION_HOURS`; the
roll-up (`QosMinute`, one row per participant, minute and stream) is what the dashboard APIs read
for past meetings.
"""

from django.db import models
from django.utils import timezone

from mind.models import Conference, Participant


class Direction(models.TextChoices):
    OUTGOING = "out", "sent by the participant"
    INCOMING = "in", "received by the participant"


class Kind(models.TextChoices):
    AUDIO = "audio"
    VIDEO = "video"


class Media(models.TextChoices):
    PRIMARY = "primary"  # camera and microphone
    SECONDARY = "secondary"  # screen share


class QosSample(models.Model):
    id = models.BigAutoField(primary_key=True)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="qos_samples")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    client_at = models.DateTimeField()  # the browser's own clock, kept for ordering within a session
    direction = models.CharField(max_length=3, choices=Direction.choices)
    media = models.CharField(max_length=9, choices=Media.choices)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    # The other end of a received stream (None for outgoing streams).
    peer = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bitrate_bps = models.PositiveIntegerField()
    rtt_ms = models.FloatField()
    jitter_ms = models.FloatField()
    loss_pct = models.FloatField()
    delay_ms = models.FloatField()
    frame_rate = models.FloatField()  # frames/s for video, samples/s for audio
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    protocol = models.CharField(max_length=8, blank=True, default="")  # udp / tcp / relay of the transport

    class Meta:
        indexes = [models.Index(fields=["participant", "received_at"]),
                   models.Index(fields=["conference", "received_at"])]


class QosMinute(models.Model):
    """Average and maximum of a participant's stream over one minute of server time."""

    id = models.BigAutoField(primary_key=True)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="qos_minutes")
    minute = models.DateTimeField()
    direction = models.CharField(max_length=3, choices=Direction.choices)
    media = models.CharField(max_length=9, choices=Media.choices)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    samples = models.PositiveIntegerField()
    bitrate_avg = models.FloatField()
    bitrate_max = models.FloatField()
    rtt_avg = models.FloatField()
    rtt_max = models.FloatField()
    jitter_avg = models.FloatField()
    jitter_max = models.FloatField()
    loss_avg = models.FloatField()
    loss_max = models.FloatField()
    frame_rate_avg = models.FloatField()
    width_max = models.PositiveIntegerField()
    height_max = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "minute", "direction", "media", "kind"],
                                               name="qos_minute_one_row_per_stream")]
        indexes = [models.Index(fields=["conference", "minute"])]
