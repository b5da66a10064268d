"""The reports as PDF (A4 portrait, NĐ 30/2020 heading block), through the portal's PDF engine."""

from portal.core.pdf import document_pdf

from .heading import Heading


def _render(template: str, heading: Heading, report: dict) -> bytes:
    return document_pdf(template, dict, {"heading": heading, "report": report})


def recognition_pdf(heading: Heading, report: dict) -> bytes:
    return _render("portal/reports/pdf/recognitions.html", heading, report)


def extension_pdf(heading: Heading, report: dict) -> bytes:
    return _render("portal/reports/pdf/extension.html", heading, report)
