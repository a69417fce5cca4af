"""A meeting's shared whiteboard: one per meeting instance (a session of the meeting), kept with
the meeting's record after it ends.

`elements` is the drawing: a list of the whiteboard library's objects (Fabric.js JSON, each with
our `id`), in drawing order. `version` goes up with every change, so clients know whether what they
show is current. `png` is the latest picture of the board, exported by a participant's browser
after changes (the server cannot render Fabric's JSON itself), and what stays downloadable.
"""

from __future__ import annotations

from django.db import models


def png_path(board: "Whiteboard", filename: str) -> str:
    return f"whiteboards/{board.instance_id}/whiteboard-v{board.version}.png"


class Whiteboard(models.Model):
    instance = models.OneToOneField("meetings.Instance", on_delete=models.CASCADE, related_name="whiteboard")
    elements = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    hosts_only = models.BooleanField(default=False, help_text="Only hosts and co-hosts may draw.")
    png = models.FileField(upload_to=png_path, blank=True)
    png_version = models.PositiveIntegerField(default=0, help_text="The version the PNG shows.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Whiteboard of instance {self.instance_id} (v{self.version})"
