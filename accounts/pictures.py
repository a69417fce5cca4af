"""Profile pictures: what a person uploads is checked and re-made before anyone sees it.

Accepted: JPEG, PNG, GIF or WebP, at most 2 MB (Zoom's limit) and 40 megapixels. The image is turned
upright (EXIF orientation), cropped to its centre square, scaled to 256 px and saved as a new JPEG:
nothing of the upload (metadata, other frames, trailing bytes) is served. It is stored through
Django's storage API under a new random name, then the user row points at it (a reader never sees a
half-written file); the previous picture is deleted after the change commits.
"""

from __future__ import annotations

import io
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import ConferError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZE = 256
FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
FOLDER = "pictures"


class PictureError(ConferError):
    """Zoom's answer to a bad picture upload: 400, code 120."""

    status = 400
    code = 120


def _square(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise PictureError(_("Upload a JPEG, PNG, GIF or WebP image."))
            if probe.width * probe.height > MAX_PIXELS:
                raise PictureError(_("The image is too large: at most 40 megapixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            upright = ImageOps.exif_transpose(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PictureError(_("That file is not an image we can read.")) from None
    square = ImageOps.fit(upright, (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def set_picture(user, upload) -> str:
    """Replaces the user's picture with the uploaded file (any file-like object with `size`, `read`).
    Returns the new picture's URL path. PictureError: too big, not an image."""
    if upload.size > MAX_BYTES:
        raise PictureError(_("The image is too big: at most 2 MB."))
    data = _square(upload.read(MAX_BYTES + 1))
    name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(18)}.jpg", ContentFile(data))
    _point_at(user, name)
    return picture_url(user) or ""


def remove_picture(user) -> None:
    _point_at(user, "")


def _point_at(user, name: str) -> None:
    old = user.picture
    user.picture = name
    user.save(update_fields=["picture"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))


def picture_url(user) -> str | None:
    """The path of the user's picture (served by accounts.views.picture), or None without one."""
    if not user.picture:
        return None
    return reverse("picture", args=[user.picture.removeprefix(f"{FOLDER}/").removesuffix(".jpg")])


def open_picture(token: str):
    """The stored file of a current picture (None: no user has this picture now)."""
    from accounts.models import User

    name = f"{FOLDER}/{token}.jpg"
    if not User.objects.filter(picture=name).exists() or not default_storage.exists(name):
        return None
    return default_storage.open(name, "rb")
