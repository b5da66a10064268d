"""Page images of stored PDF documents, so that staff read a dossier's documents on its page without opening each
file: the page is drawn by PDFium (pypdfium2) on the server and sent as a PNG the portal made itself.

A document reached this point only after the upload checks (a PDF that opens in qpdf without repair, has pages and
carries no active content). Drawing is still bounded: at most PREVIEW_WIDTH × PREVIEW_MAX_HEIGHT pixels whatever
the page size claims, and PDFium, which is not thread-safe, draws one page at a time per process."""

import io
import threading

import pypdfium2
from django.urls import reverse

from portal.core.files import PDF

from .validators import IMAGE_TYPES

PREVIEW_WIDTH = 900
PREVIEW_MAX_HEIGHT = 1800
MAX_PREVIEW_PAGES = 10
_PDFIUM = threading.Lock()


class PreviewError(Exception):
    """The stored file cannot be drawn (missing, damaged or not a PDF)."""


def _read(field_file) -> bytes:
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError) as exc:
        raise PreviewError(str(exc)) from exc


def page_count(field_file) -> int:
    """How many pages the stored PDF has; 0 when it cannot be read."""
    try:
        data = _read(field_file)
        with _PDFIUM:
            document = pypdfium2.PdfDocument(data)
            try:
                return len(document)
            finally:
                document.close()
    except (PreviewError, pypdfium2.PdfiumError):
        return 0


def page_png(field_file, number: int) -> bytes:
    """Page `number` (from 1) of the stored PDF as a PNG at most PREVIEW_WIDTH wide."""
    data = _read(field_file)
    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            raise PreviewError(str(exc)) from exc
        try:
            if not 1 <= number <= len(document):
                raise PreviewError(f"no page {number}")
            page = document[number - 1]
            width, height = page.get_size()
            scale = min(PREVIEW_WIDTH / max(width, 1), PREVIEW_MAX_HEIGHT / max(height, 1), 3)
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def document_preview(document) -> dict:
    """What a page shows of a stored document in place: the page images of a PDF (the first MAX_PREVIEW_PAGES),
    the picture itself for a scan, nothing for anything else."""
    if document.content_type == PDF:
        total = page_count(document.file)
        pages = [
            reverse("products:file.document_page", args=[document.uid, number])
            for number in range(1, min(total, MAX_PREVIEW_PAGES) + 1)
        ]
        return {"kind": "pdf", "pages": pages, "total": total}
    if document.content_type in IMAGE_TYPES:
        return {"kind": "image", "url": document.get_file_url(), "total": 1}
    return {"kind": "none", "total": 0}
