"""Every file the portal sends, stored or built on the fly, leaves through here with the same headers.

A stored file is sent with the type read from its whole content when it was uploaded (the record's
`content_type`), never with one guessed from a name, and always with

- `X-Content-Type-Options: nosniff`, so that the browser takes that type as given;
- `Content-Security-Policy: default-src 'none'; sandbox`, so that even a file a browser would render as a page
  runs no script, loads nothing and counts as a foreign origin: it cannot read the portal's pages nor post to
  them (no template embeds a file in a frame, so the page-wide `frame-ancestors 'none'` is not relaxed);
- `Content-Disposition: inline` only for a PDF (checked whole at upload, or made by the portal) and for an image
  the portal re-encoded itself; anything else is a download;
- a download name whose extension follows the type (.pdf, .jpg, .png, else .bin) and whose stem comes from the
  uploader's name, cleaned (RFC 5987 `filename*=` for Vietnamese, by Django's FileResponse).

This module imports no app: apps import it."""

import unicodedata

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ZIP = "application/zip"  # only ever made by the portal (bulk certificate exports), never accepted as an upload
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"  # a round's document templates
# Made by the portal only (report files and exports built in the background), never accepted as an upload.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
OCTET_STREAM = "application/octet-stream"

EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", ZIP: "zip", DOCX: "docx", XLSX: "xlsx", CSV: "csv"}
INLINE_TYPES = frozenset({PDF, JPEG, PNG})
FILE_CSP = "default-src 'none'; sandbox"
PRIVATE = "private, no-store"
STEM_MAX = 100
# Control, format (e.g. U+202E, which shows "gpj.exe" as "exe.jpg"), private-use and unassigned characters, and
# characters that mean something in a path or to a desktop's file manager.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_PATH_CHARACTERS = set('/\\:*?"<>|')


def extension_for(content_type: str) -> str:
    return EXTENSIONS.get(content_type, "bin")


def download_name(original: str, content_type: str, default_stem: str) -> str:
    """`giấy phép.html` stored as a PDF → `giấy phép.pdf`: the uploader's stem (NFC, without path, control or
    path characters, at most STEM_MAX characters) and the extension of the type; `default_stem` when nothing is
    left."""
    base = unicodedata.normalize("NFC", original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    kept = "".join(
        " " if c in _PATH_CHARACTERS or c.isspace() else c
        for c in stem
        if unicodedata.category(c) not in _DROPPED_CATEGORIES or c.isspace()
    )
    stem = " ".join(kept.split()).strip(" .-")[:STEM_MAX].rstrip(" .-")
    return f"{stem or default_stem}.{extension_for(content_type)}"


def _file_headers(response, cache_control: str):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP  # set here, so the page policy of the middleware stays off
    response["Cache-Control"] = cache_control
    return response


def serve_file(
    source,
    *,
    content_type: str,
    name: str = "",
    default_stem: str = "file",
    as_attachment: bool = False,
    cache_control: str = PRIVATE,
) -> FileResponse:
    """The response for a stored file. `source` is a model's FieldFile (404 when the record has none or the
    storage has lost it) or a file already open for reading; `content_type` the type stored with it at upload
    (anything the portal does not know is sent as application/octet-stream); `name` the uploader's file name,
    for the download name's stem. Shown inline only if its type may be and the caller does not ask for a
    download."""
    if content_type not in EXTENSIONS:
        content_type = OCTET_STREAM
    inline = content_type in INLINE_TYPES and not as_attachment
    response = FileResponse(
        _open(source),
        content_type=content_type,
        as_attachment=not inline,
        filename=download_name(name, content_type, default_stem),
    )
    return _file_headers(response, cache_control)


def _open(source):
    if not isinstance(source, FieldFile):
        return source
    if not source:
        raise Http404
    try:
        return source.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc


def generated_file(
    content,
    *,
    content_type: str,
    filename: str,
    as_attachment: bool | None = None,
    cache_control: str = PRIVATE,
) -> HttpResponse:
    """The response for a document the portal builds on the fly (a PDF, a workbook, a CSV): bytes, or an
    iterator of lines (streamed). Inline, unless `as_attachment`, only for a type that may be (the portal's own
    PDFs); a workbook or a CSV is a download whatever is asked."""
    streaming = not isinstance(content, bytes | bytearray | str)
    response = (StreamingHttpResponse if streaming else HttpResponse)(content, content_type=content_type)
    inline = content_type in INLINE_TYPES and not as_attachment
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return _file_headers(response, cache_control)
