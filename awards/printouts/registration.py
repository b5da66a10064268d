"""The registration form (phiếu đăng ký tham gia bình chọn) of a nomination, filled in, as PDF."""

from django.utils import timezone

from portal.core.formatting import vn_date, vn_date_line, vnd
from portal.core.pdf import document_html, render_pdf

from ..enums import NominationStatus


def registration_form_context(nomination) -> dict:
    """What the registration form shows: plain values, already formatted, so the template only lays out."""
    producer = nomination.producer
    is_draft = nomination.status == NominationStatus.DRAFT
    if nomination.submitted_at and not is_draft:
        day = timezone.localtime(nomination.submitted_at).date()
    else:
        day = timezone.localdate()
    documents = [
        {
            "type": nd.document.doc_type.name,
            "number": nd.document.number,
            "issuer": nd.document.issuer,
            "issue_date": vn_date(nd.document.issue_date),
            "expiry_date": vn_date(nd.document.expiry_date),
        }
        for nd in nomination.documents.select_related("document__doc_type").order_by(
            "item__document_type__order", "item__document_type__name", "pk"
        )
    ]
    return {
        "nomination": nomination,
        "producer": producer,
        "product": nomination.product,
        "round": nomination.round,
        "is_draft": is_draft,
        "date_line": vn_date_line(producer.current_province.name, day),
        "level_line": f"{nomination.round.level.name} năm {nomination.round.year}".upper(),
        "address": producer.address_on(day),
        "producer_kind": producer.get_kind_display(),
        "revenue": vnd(nomination.annual_revenue),
        "documents": documents,
        "photo_count": nomination.photos.count(),
    }


def registration_form_html(nomination) -> str:
    return document_html("awards/pdf/registration_form.html", registration_form_context, nomination)


def registration_form_pdf(nomination) -> bytes:
    """The filled registration form (phiếu đăng ký tham gia bình chọn) of a nomination, as PDF bytes."""
    return render_pdf(registration_form_html(nomination))
