"""Quality-of-service data: raw samples, their per-minute roll-up, and each participant's live rating.

One `QosSample` row is one media stream in one sample: a browser's sample (every 5 s) carries its
outgoing streams and each stream it receives (`source=client`); the server's own view of a
participant from Janus (`source=server`, docs/qos.md) carries what Janus measured.

Rows name the engine's conference and participant by id, without foreign keys: the engine deletes
its conference when the meeting ends (and a participant when the host removes them), and quality
data must outlive both. The meetings app maps them (`Instance.conference_id`,
`meetings.Participant.media_participant_id`). Raw rows expire after `QOS_RAW_RETENTION_HOURS`; the
roll-up (`QosMinute`) is kept with the meeting's history.
"""

from django.db import models
from django.utils import timezone


class Direction(models.TextChoices):
    OUTGOING = "out", "sent by the participant"
    INCOMING = "in", "received by the participant"


class Kind(models.TextChoices):
    AUDIO = "audio"
    VIDEO = "video"


class Media(models.TextChoices):
    PRIMARY = "primary"  # camera and microphone
    SECONDARY = "secondary"  # screen share


class Source(models.TextChoices):
    CLIENT = "client", "the participant's browser"
    SERVER = "server", "the media server (Janus)"


class Rating(models.TextChoices):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class QosSample(models.Model):
    id = models.BigAutoField(primary_key=True)
    conference_id = models.UUIDField()
    participant_id = models.UUIDField()
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.CLIENT)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    client_at = models.DateTimeField()  # the reporter's own clock, kept for ordering within a session
    direction = models.CharField(max_length=3, choices=Direction.choices)
    media = models.CharField(max_length=9, choices=Media.choices)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    peer_id = models.UUIDField(null=True, blank=True)  # the sender of a received stream
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
        indexes = [models.Index(fields=["participant_id", "received_at"]),
                   models.Index(fields=["conference_id", "received_at"])]


class QosMinute(models.Model):
    """Minimum, average and maximum of a participant's streams of one kind over one minute of server time."""

    id = models.BigAutoField(primary_key=True)
    conference_id = models.UUIDField()
    participant_id = models.UUIDField()
    minute = models.DateTimeField()
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.CLIENT)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    media = models.CharField(max_length=9, choices=Media.choices)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    samples = models.PositiveIntegerField()
    bitrate_min = models.FloatField()
    bitrate_avg = models.FloatField()
    bitrate_max = models.FloatField()
    rtt_min = models.FloatField()
    rtt_avg = models.FloatField()
    rtt_max = models.FloatField()
    jitter_min = models.FloatField()
    jitter_avg = models.FloatField()
    jitter_max = models.FloatField()
    delay_avg = models.FloatField()
    loss_min = models.FloatField()
    loss_avg = models.FloatField()
    loss_max = models.FloatField()
    frame_rate_min = models.FloatField()
    frame_rate_avg = models.FloatField()
    frame_rate_max = models.FloatField()
    width_max = models.PositiveIntegerField()
    height_max = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["participant_id", "minute", "source", "direction", "media", "kind"],
            name="qos_minute_one_row_per_stream")]
        indexes = [models.Index(fields=["conference_id", "minute"])]


class QosRating(models.Model):
    """A participant's connection rating since its last change (qos.rating; the live value is cached)."""

    participant_id = models.UUIDField(primary_key=True)
    conference_id = models.UUIDField(db_index=True)
    rating = models.CharField(max_length=4, choices=Rating.choices, default=Rating.GOOD)
    changed_at = models.DateTimeField(default=timezone.now)


class QosClient(models.Model):
    """What a participant's client says about its device (the sample's `client`; docs/qos.md): kept
    per participant, written only when it changes, shown by the dashboard's participant objects."""

    class Device(models.TextChoices):
        WINDOWS = "Windows"
        MAC = "Mac"
        LINUX = "Linux"
        CHROME_OS = "Chrome OS"
        ANDROID = "Android"
        IOS = "iOS"
        WEB = "Web"

    class Network(models.TextChoices):
        WIRED = "Wired"
        WIFI = "Wifi"
        CELLULAR = "Cellular"
        OTHERS = "Others"
        UNKNOWN = "Unknown"

    participant_id = models.UUIDField(primary_key=True)
    conference_id = models.UUIDField(db_index=True)
    device = models.CharField(max_length=16, choices=Device.choices, default=Device.WEB)
    os = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=64, blank=True, help_text="The browser and its version.")
    network_type = models.CharField(max_length=16, choices=Network.choices, default=Network.UNKNOWN)
    updated_at = models.DateTimeField(default=timezone.now)
