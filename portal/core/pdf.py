"""The PDF engine: HTML rendered to PDF with WeasyPrint, for every printed document of the portal (registration
forms, score sheets, council documents, decisions, certificates, reports).

No request objects here: a view, a task or a management command can all call these functions.

Fonts are the static TTFs of `fontpkg-ibm-plex-serif`, referenced by file:// URLs from the templates' @font-face
rules (`{{ fonts.regular }}` ...), so nothing depends on the fonts installed on the machine. NĐ 30/2020 names
Times New Roman for state documents; none of the packaged fonts is metric-identical, and IBM Plex Serif is a
static serif with every Vietnamese glyph (variable fonts cost about 4x the render time, see docs/architecture.md).
Plex has a larger x-height than Times, so 12 pt Plex reads like the 13-14 pt Times that the decree asks for.
"""

import dataclasses
import functools
import threading
from collections.abc import Callable
from pathlib import Path

import fontpkg_ibm_plex_serif
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(fontpkg_ibm_plex_serif.ROOT) / "files"
FONT_FILES = {
    "regular": FONT_DIR / "IBMPlexSerif-Regular.ttf",
    "bold": FONT_DIR / "IBMPlexSerif-Bold.ttf",
    "italic": FONT_DIR / "IBMPlexSerif-Italic.ttf",
}

# One FontConfiguration per process: WeasyPrint keeps the @font-face files it has loaded in it (keyed on the
# rule), so later documents skip re-reading and re-registering the fonts. Fontconfig and Pango are not
# thread-safe, hence the lock: a render is CPU-bound under the GIL anyway.
_render_lock = threading.Lock()


@functools.cache
def font_config():
    from weasyprint.text.fonts import FontConfiguration  # imported on first use: the import costs ~0.5 s

    return FontConfiguration()


def font_urls() -> dict[str, str]:
    """The `fonts` a document template's @font-face rules read."""
    return {key: path.as_uri() for key, path in FONT_FILES.items()}


def document_html(template: str, build_context: Callable[..., dict], *args) -> str:
    """A printed document's HTML: `build_context(*args)` and the template, both in Vietnamese (official content,
    whatever the page's language: labels the context computes, such as a producer's kind, are translated too)."""
    with translation.override("vi"):
        return render_to_string(template, {**build_context(*args), "fonts": font_urls()})


def _html(html: str):
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    return weasyprint.HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=fetcher)


def render_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """HTML to PDF bytes. Only local files (the fonts) and data: URIs (an emblem read from the storage) may be
    fetched: a document never reaches the network.
    `pdf_variant` is WeasyPrint's, e.g. "pdf/a-3b" for an archival document (the certificates)."""
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    with _render_lock:
        return _html(html).write_pdf(font_config=font_config(), **options)


@dataclasses.dataclass(frozen=True)
class Placed:
    """Where a part of a document landed: its page (from 0) and its rectangle in PDF points from the page's
    bottom-left corner (x1, y1, x2, y2), e.g. for a signature field laid over it."""

    page: int
    rect: tuple[float, float, float, float]


PT_PER_PX = 0.75  # WeasyPrint's CSS pixel is 1/96 in, a PDF point 1/72 in


def _placed(document, anchor: str) -> Placed | None:
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            # WeasyPrint keeps each anchor's border box: x1, y1, x2, y2 in CSS pixels from the page's top-left.
            x1, y1, x2, y2 = page.anchors[anchor]
            rect = (x1, page.height - y2, x2, page.height - y1)
            return Placed(page=index, rect=tuple(round(v * PT_PER_PX, 2) for v in rect))
    return None


def render_pdf_placing(html: str, *, anchor: str, pdf_variant: str | None = None) -> tuple[bytes, Placed | None]:
    """`render_pdf`, and where the element with the id `anchor` landed (its border box), or None without one."""
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    with _render_lock:
        document = _html(html).render(font_config=font_config(), **options)
        return document.write_pdf(**options), _placed(document, anchor)


def document_pdf(template: str, build_context: Callable[..., dict], *args, pdf_variant: str | None = None) -> bytes:
    """A printed document as PDF bytes: `document_html` then `render_pdf`."""
    return render_pdf(document_html(template, build_context, *args), pdf_variant=pdf_variant)
