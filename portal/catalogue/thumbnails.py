"""Scaled-down JPEG copies of product photos for the catalogue: a phone photo of 4 MB becomes ~40 kB on a card.
Made on the first request and kept in the uploads' storage under catalogue-thumbs/, named by the photo's uid and
width (a photo never changes under its uid, so a copy never goes stale)."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

CARD_WIDTH = 480
PAGE_WIDTH = 960
# The "full-size" public photo is a re-encoded copy too: never the uploaded bytes, so no metadata (a phone's GPS
# position in EXIF), comment or trailing data of the upload reaches the public.
FULL_WIDTH = 1600
WIDTHS = {str(CARD_WIDTH), str(PAGE_WIDTH)}
ImageError = (UnidentifiedImageError, OSError, ValueError)


def thumbnail_name(photo, width: int) -> str:
    return f"catalogue-thumbs/{photo.uid}-{width}.jpg"


def open_thumbnail(photo, width: int):
    storage = photo.image.storage
    name = thumbnail_name(photo, width)
    if not storage.exists(name):
        with photo.image.open("rb") as source:
            data = _scaled_jpeg(source, width)
        # A concurrent request may have written it meanwhile: storage.save would then pick another name.
        if not storage.exists(name):
            storage.save(name, ContentFile(data))
    return storage.open(name, "rb")


def _scaled_jpeg(source, width: int) -> bytes:
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.convert("RGBA").split()[-1])
            image = background
        if image.width > width:
            image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        image = image.convert("RGB")
        # Pillow carries some of the source's metadata (a JPEG comment) into the copy: keep pixels only.
        image.info = {}
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()
