"""Files stored before the whole-content upload checks, brought under the rule new uploads follow (used by the
data migrations products 0013 and extension_projects 0004).

Each stored file gets the content_type its content earns (products.validators.legacy_file: never its name); an
image is replaced by the portal's re-encoded copy, so that every stored JPEG or PNG is one the portal wrote and
may be shown inline; a PDF kept under another extension is copied under .pdf. The originals stay in storage,
unserved: the history rows still name them. A file that is missing, unreadable or fails a check keeps its name
and becomes application/octet-stream, which the portal only ever offers as a download named .bin."""

import posixpath
import uuid

from django.core.files.base import ContentFile

from portal.core.files import OCTET_STREAM, extension_for

from .validators import legacy_file


def bring_under_upload_rules(model, field_name: str, *, allowed, max_side: int) -> int:
    """Set content_type (and, where the file is rewritten, the file's name) on every row of `model` with a file
    in `field_name`; return how many rows were looked at."""
    count = 0
    for row in model.objects.exclude(**{field_name: ""}).only("pk", field_name).iterator(chunk_size=200):
        model.objects.filter(pk=row.pk).update(**_updates(getattr(row, field_name), field_name, allowed, max_side))
        count += 1
    return count


def _updates(field, field_name: str, allowed, max_side: int) -> dict:
    try:
        with field.open("rb") as handle:
            mime, data = legacy_file(handle, allowed=allowed, max_side=max_side)
            ext = extension_for(mime)
            if data is None and mime != OCTET_STREAM and not field.name.lower().endswith(f".{ext}"):
                data = handle.read()  # a PDF stored under the uploader's extension: copied under .pdf
    except OSError:  # lost or unreadable: only ever a download
        return {"content_type": OCTET_STREAM}
    updates = {"content_type": mime}
    if data is not None:
        folder = posixpath.dirname(field.name)
        stem = posixpath.splitext(posixpath.basename(field.name))[0] or uuid.uuid4().hex
        updates[field_name] = field.storage.save(f"{folder}/{stem}.{ext}", ContentFile(data))
    return updates
