"""Domain events of the qos app, for other apps to connect to (webhooks, the room).

rating_changed(conference_id, participant_id, rating, previous, at)
    Sent after the commit that changed a participant's live connection rating ("good" | "fair" |
    "poor"; `previous` the rating before; `at` the server time of the deciding sample). Ids are the
    engine's conference and participant ids (strings). `qos.receivers` tells the room; a webhook
    delivery would connect here too.
"""

from django.dispatch import Signal

rating_changed = Signal()
