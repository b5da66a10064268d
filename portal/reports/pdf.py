"""The reports as PDF (WeasyPrint, A4 portrait, NĐ 30/2020 heading block), with the packaged static serif fonts
and the render lock of `awards.documents`. Official content: rendered in Vietnamese whatever the page language."""

from django.template.loader import render_to_string
from django.utils import translation

from awards.documents import FONT_FILES, render_pdf

from .heading import Heading


def _render(template: str, heading: Heading, report: dict) -> bytes:
    with translation.override("vi"):
        html = render_to_string(
            template,
            {
                "heading": heading,
                "report": report,
                "fonts": {key: path.as_uri() for key, path in FONT_FILES.items()},
            },
        )
    return render_pdf(html)


def recognition_pdf(heading: Heading, report: dict) -> bytes:
    return _render("portal/reports/pdf/recognitions.html", heading, report)


def extension_pdf(heading: Heading, report: dict) -> bytes:
    return _render("portal/reports/pdf/extension.html", heading, report)
