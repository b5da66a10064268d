"""Upload checks: the kind of a file is read from its content, never from its name."""

import contextlib
import threading

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCUMENT_TYPES = (PDF, JPEG, PNG)
IMAGE_TYPES = (JPEG, PNG)
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}


_decoding_lock = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on import (for its own rendering); an upload
    check must not inherit it, or a truncated photo would pass."""
    with _decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def sniff(uploaded) -> str | None:
    """MIME type recognised from the first bytes of the file, or None."""
    uploaded.seek(0)
    head = uploaded.read(261)
    uploaded.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def stored_type(handle, allowed=DOCUMENT_TYPES) -> str | None:
    """MIME type of a stored file read from its content (never from its name), if it is one of `allowed`; None
    otherwise. The handle is left at its start."""
    mime = sniff(handle)
    return mime if mime in allowed else None


def validate_upload(uploaded, allowed=DOCUMENT_TYPES) -> str:
    """Raise ValidationError with a reason the user can act on; return the recognised MIME type."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": uploaded.name}, code="empty")
    mime = sniff(uploaded)
    if mime not in allowed:
        raise ValidationError(
            _("The file “%(name)s” is not a %(kinds)s file (its content was checked, not its name).")
            % {"name": uploaded.name, "kinds": _(" or ").join(_LABELS[m] for m in allowed)},
            code="bad_type",
        )
    if mime in IMAGE_TYPES:
        try:
            with Image.open(uploaded) as img:
                img.verify()
            if mime == JPEG:
                # verify() reads none of a JPEG's scan data, so a truncated JPEG passes it: decode the file,
                # at 1/8 scale (draft) so that a large photo costs little memory.
                uploaded.seek(0)
                with _strict_decoding(), Image.open(uploaded) as img:
                    img.draft(img.mode, (1, 1))
                    img.load()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ValidationError(
                _("The image “%(name)s” is damaged and cannot be opened.") % {"name": uploaded.name},
                code="bad_image",
            ) from exc
        finally:
            uploaded.seek(0)
    return mime


def validate_image_upload(uploaded) -> str:
    return validate_upload(uploaded, allowed=IMAGE_TYPES)
