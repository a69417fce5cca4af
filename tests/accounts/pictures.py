"""Images for the profile picture tests, made with Pillow."""

import io

from PIL import Image


def image_bytes(fmt: str = "PNG", size=(640, 480), colour=(20, 120, 220), exif_orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, colour)
    image.paste((250, 200, 0), (size[0] // 2 - 40, size[1] // 2 - 40, size[0] // 2 + 40, size[1] // 2 + 40))
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "SecretCam"  # Make: must not survive
        kwargs["exif"] = exif.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))
