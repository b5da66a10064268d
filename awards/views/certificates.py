"""Certificates on the staff pages (the list, one certificate with its history, revoking and re-issuing) and on
the producer's pages (its own certificates, to download); issuing them is in certificate_issuing. Every write
goes through awards.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from portal.core.access import is_producer, is_staff, requires
from portal.core.files import PDF, generated_file
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin
from portal.core.signing import SigningError
from portal.core.widgets import FastSelect
from products.views.common import apply_validation_error

from .. import services
from ..access import can_manage_recognition
from ..enums import CertificateStatus
from ..filters import CertificateFilter
from ..forms import CertificateReissueForm, CertificateRevokeForm
from ..list_exports import CertificateListExport
from ..models import Certificate, Decision
from ..printouts.certificates import verification_url
from ..selectors import certificates_for_staff, certificates_of_producer, rounds_for_staff

PAGE_SIZE = 25
FILTER_PARAMS = ("q", "decision", "round", "level", "year", "status", "province")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def optional_url(name: str, *args) -> str | None:
    """The address of a page built alongside these (the bulk exports), or None while it is not routed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def export_url() -> str | None:
    return optional_url("awards:staff.certificate.export.create")


def pdf_response(request, certificate, back: str) -> HttpResponse:
    """The certificate's PDF, signed where its issuing body has a signing certificate; when that certificate
    cannot sign, no PDF: a message and back to `back`."""
    try:
        data = services.certificate_document(certificate=certificate)
    except SigningError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return generated_file(data, content_type=PDF, filename=f"{certificate.file_stem}.pdf")


def decisions_for_staff(user):
    return Decision.objects.filter(round__in=rounds_for_staff(user)).select_related(
        "round__level", "issuing_body__province"
    )


# -- staff: the list, one certificate, its PDF ------------------------------------------------------------------------
class CertificateListView(requires(is_staff), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = CertificateFilter
    export_resource_class = CertificateListExport
    export_filename = "giay-chung-nhan"
    export_title = gettext_lazy("Certificates")
    template_name = "awards/staff/certificate_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "certificates"

    def get_queryset(self):
        return certificates_for_staff(self.request.user).order_by("-year", "-serial", "-pk")

    def get_filterset(self, filterset_class):
        """The decision and round filters take ids (as the bulk export does); here they are chosen by name."""
        filterset = super().get_filterset(filterset_class)
        fields = filterset.form.fields
        decisions = list(decisions_for_staff(self.request.user).order_by("-date", "-pk"))
        fields["decision"].label = _("Recognition decision")
        fields["decision"].widget = FastSelect(
            choices=[("", _("All decisions")), *((d.pk, f"{d.number} ({d.date:%d/%m/%Y})") for d in decisions)]
        )
        fields["round"].widget = FastSelect(
            choices=[("", _("All rounds")), *((d.round_id, d.round.title) for d in decisions)]
        )
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = export_url()
        context["exports_url"] = optional_url("awards:staff.certificate.export.list")
        context["filter_params"] = [
            (name, value) for name in FILTER_PARAMS for value in self.request.GET.getlist(name) if value.strip()
        ]
        return context


def _issued_label(certificate, record) -> str:
    """ "Issued" when it was issued the day it was entered; an archive certificate entered later says its own date."""
    if timezone.localdate(record.history_date) == certificate.issued_on:
        return _("Issued")
    return _("Entered in the portal; the certificate is dated %(date)s") % {
        "date": certificate.issued_on.strftime("%d/%m/%Y")
    }


def certificate_events(certificate) -> list[dict]:
    """Issued, revoked, replaced: the history records where the status changed, with who and when (the user of
    the request, or — for a change made outside a request — the one the certificate records)."""
    labels = {
        CertificateStatus.REVOKED: _("Revoked"),
        CertificateStatus.REPLACED: _("Replaced by a new certificate"),
        CertificateStatus.VALID: _("In force again"),
    }
    events, previous = [], None
    for record in certificate.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.history_type == "+":
            user = record.history_user or certificate.issued_by
            events.append(
                {"at": record.history_date, "user": user, "label": _issued_label(certificate, record), "note": ""}
            )
        elif previous is not None and record.status != previous.status:
            revoked = record.status == CertificateStatus.REVOKED
            events.append(
                {
                    "at": record.history_date,
                    "user": record.history_user or (certificate.revoked_by if revoked else None),
                    "label": labels.get(record.status, record.status),
                    "note": record.revoke_reason,
                }
            )
        previous = record
    return events


class CertificateMixin(requires(is_staff)):
    def get_certificate(self, pk):
        return get_object_or_404(
            certificates_for_staff(self.request.user).select_related(
                "recognition__decision__round__level",
                "recognition__product__producer",
                "replaced_by",
                "revoked_by",
                "issued_by",
            ),
            pk=pk,
        )


class CertificateDetailView(CertificateMixin, View):
    template_name = "awards/staff/certificate_detail.html"

    def get(self, request, pk):
        return self.render(self.get_certificate(pk))

    def post(self, request, pk):
        certificate = self.get_certificate(pk)
        if not can_manage_recognition(request.user, certificate.recognition)[0]:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "revoke":
            form = CertificateRevokeForm(request.POST, prefix="revoke")
            if form.is_valid():
                try:
                    services.certificate_revoke(
                        certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, _("Certificate %(number)s is revoked.") % {"number": certificate.number})
                    return redirect("awards:staff.certificate.detail", pk=certificate.pk)
            return self.render(certificate, revoke_form=form, status=400)
        if action == "reissue":
            form = CertificateReissueForm(request.POST, prefix="reissue")
            if form.is_valid():
                try:
                    new = services.certificate_reissue(
                        certificate=certificate,
                        actor=request.user,
                        issued_on=form.cleaned_data["issued_on"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Certificate %(old)s is replaced by certificate %(new)s.")
                        % {"old": certificate.number, "new": new.number},
                    )
                    return redirect("awards:staff.certificate.detail", pk=new.pk)
            return self.render(certificate, reissue_form=form, status=400)
        messages.error(request, _("Unknown action."))
        return redirect("awards:staff.certificate.detail", pk=certificate.pk)

    def render(self, certificate, revoke_form=None, reissue_form=None, status=200):
        can_manage = can_manage_recognition(self.request.user, certificate.recognition)[0]
        return render(
            self.request,
            self.template_name,
            {
                "c": certificate,
                "state": certificate.state(),
                "verification_url": verification_url(certificate),
                "replaces": Certificate.objects.filter(replaced_by=certificate).first(),
                "events": certificate_events(certificate),
                "can_change": can_manage and certificate.status == CertificateStatus.VALID,
                "revoke_form": revoke_form or CertificateRevokeForm(prefix="revoke"),
                "reissue_form": reissue_form or CertificateReissueForm(prefix="reissue"),
            },
            status=status,
        )


class CertificatePdfView(requires(is_staff), View):
    def get(self, request, pk):
        certificate = get_object_or_404(certificates_for_staff(request.user), pk=pk)
        return pdf_response(request, certificate, reverse("awards:staff.certificate.detail", args=[certificate.pk]))


# -- the producer's own certificates ----------------------------------------------------------------------------------
class ProducerCertificateListView(requires(is_producer), View):
    def get(self, request):
        return render(
            request,
            "awards/producer/certificate_list.html",
            {"certificates": certificates_of_producer(self.producer).order_by("-issued_on", "-pk")},
        )


class ProducerCertificatePdfView(requires(is_producer), View):
    """Its own certificates that were not revoked or replaced (an expired one is still the genuine paper)."""

    def get(self, request, pk):
        certificates = certificates_of_producer(self.producer).filter(status=CertificateStatus.VALID)
        certificate = get_object_or_404(certificates, pk=pk)
        return pdf_response(request, certificate, reverse("awards:producer.certificate.list"))
