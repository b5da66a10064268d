"""Issuing certificates on the staff pages: for a decision's recognitions in one go, or for one recognition (one
recorded from the paper archive); and the decision's attachment list (PDF, spreadsheet). Every write goes through
awards.services."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.files import PDF, generated_file
from products.enums import OrganizationKind
from products.models import Organization
from products.search import fold
from products.views.common import apply_validation_error

from .. import services
from ..access import can_manage_recognition, can_manage_round
from ..enums import AreaKind, CertificateStatus
from ..forms import CertificateIssueForm
from ..models import Certificate
from ..printouts.decisions import decision_list_pdf, decision_list_xlsx
from ..selectors import recognitions_for_staff
from .certificates import XLSX, decisions_for_staff, export_url


def issuing_bodies(*, province_id=None, national=False, also=None):
    """The organisations that may sign a certificate: those of the province (the ministry agency for region and
    national recognitions), plus the one the decision names."""
    scope = Q(kind=OrganizationKind.MINISTRY_AGENCY) if national else Q(province_id=province_id)
    if also:
        scope |= Q(pk=also)
    return Organization.objects.filter(scope).order_by("kind", "name")


# -- staff: issuing ---------------------------------------------------------------------------------------------------
class DecisionCertificatesView(requires(is_staff), View):
    """The decision's recognitions with their certificates, and issuing the missing ones in one go."""

    template_name = "awards/staff/certificate_decision.html"

    def get_decision(self, pk):
        return get_object_or_404(decisions_for_staff(self.request.user), pk=pk)

    def form(self, decision, data=None):
        round_ = decision.round
        return CertificateIssueForm(
            data,
            bodies=issuing_bodies(
                province_id=round_.province_id,
                national=round_.level.area_kind in (AreaKind.REGION, AreaKind.NATIONAL),
                also=decision.issuing_body_id,
            ),
            decision=decision,
        )

    def get(self, request, pk):
        decision = self.get_decision(pk)
        return self.render(decision, self.form(decision))

    def post(self, request, pk):
        decision = self.get_decision(pk)
        if not can_manage_round(request.user, decision.round)[0]:
            raise PermissionDenied
        form = self.form(decision, request.POST)
        if form.is_valid():
            try:
                issued = services.certificates_issue_for_decision(
                    decision=decision, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if len(issued) == 1:
                    messages.success(request, _("Certificate %(number)s is issued.") % {"number": issued[0].number})
                elif issued:
                    messages.success(
                        request,
                        _("%(n)d certificates are issued: %(first)s to %(last)s.")
                        % {"n": len(issued), "first": issued[0].number, "last": issued[-1].number},
                    )
                else:
                    messages.info(request, _("Every recognition of this decision already has a certificate."))
                return redirect("awards:staff.decision.certificates", pk=decision.pk)
        return self.render(decision, form, status=400)

    def render(self, decision, form, status=200):
        recognitions = list(
            decision.recognitions.select_related(
                "product__group", "product__producer__province", "product__producer__unit", "level"
            )
            .prefetch_related(
                Prefetch("certificates", queryset=Certificate.objects.order_by("-created_at", "-pk"), to_attr="issued")
            )
            .order_by("product__group__order", "product__name", "pk")
        )
        for recognition in recognitions:
            current = [c for c in recognition.issued if c.status == CertificateStatus.VALID]
            recognition.current = current[0] if current else None
            recognition.latest = recognition.issued[0] if recognition.issued else None
        missing = sum(1 for r in recognitions if r.latest is None)  # a revoked one is not issued again here
        unconfirmed = {
            r.product.producer.pk: r.product.producer
            for r in recognitions
            if r.latest is None and r.product.producer.address_needs_confirmation
        }
        return render(
            self.request,
            self.template_name,
            {
                "decision": decision,
                "round": decision.round,
                "recognitions": recognitions,
                "missing": missing,
                "unconfirmed": list(unconfirmed.values()),
                "in_force": sum(1 for r in recognitions if r.current is not None),
                "form": form,
                "can_manage": can_manage_round(self.request.user, decision.round)[0],
                "export_url": export_url(),
                "list_url": f"{reverse('awards:staff.certificate.list')}?decision={decision.pk}",
            },
            status=status,
        )


class RecognitionCertificateView(requires(is_staff), View):
    """The certificate of one recognition — typically one recorded from the paper archive, which has no decision
    on the portal to take the issuing body and the signer from."""

    template_name = "awards/staff/certificate_recognition.html"

    def get_recognition(self, pk):
        return get_object_or_404(
            recognitions_for_staff(self.request.user).select_related(
                "product__producer__current_province",
                "product__group",
                "level",
                "decision__round__level",
                "decision__issuing_body",
            ),
            pk=pk,
        )

    def form(self, recognition, data=None):
        national = recognition.level.area_kind in (AreaKind.REGION, AreaKind.NATIONAL)
        bodies = issuing_bodies(
            province_id=recognition.product.producer.current_province_id,
            also=recognition.decision.issuing_body_id if recognition.decision_id else None,
        )
        if national:
            bodies = bodies | issuing_bodies(national=True)
        return CertificateIssueForm(data, bodies=bodies.distinct(), decision=recognition.decision)

    def get(self, request, pk):
        recognition = self.get_recognition(pk)
        return self.render(recognition, self.form(recognition))

    def post(self, request, pk):
        recognition = self.get_recognition(pk)
        if not can_manage_recognition(request.user, recognition)[0]:
            raise PermissionDenied
        form = self.form(recognition, request.POST)
        if form.is_valid():
            try:
                certificate = services.certificate_issue(
                    recognition=recognition, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Certificate %(number)s is issued.") % {"number": certificate.number})
                return redirect("awards:staff.certificate.detail", pk=certificate.pk)
        return self.render(recognition, form, status=400)

    def render(self, recognition, form, status=200):
        certificates = list(recognition.certificates.order_by("-created_at", "-pk"))
        current = next((c for c in certificates if c.status == CertificateStatus.VALID), None)
        return render(
            self.request,
            self.template_name,
            {
                "recognition": recognition,
                "product": recognition.product,
                "certificates": certificates,
                "current": current,
                "form": form,
                "can_manage": can_manage_recognition(self.request.user, recognition)[0],
            },
            status=status,
        )


# -- staff: the decision's attachment list ----------------------------------------------------------------------------
def _decision_file_stem(decision) -> str:
    return "danh-sach-kem-qd-" + re.sub(r"[^0-9a-z]+", "-", fold(decision.number)).strip("-")


class DecisionListPdfView(requires(is_staff), View):
    def get(self, request, pk):
        decision = get_object_or_404(decisions_for_staff(request.user), pk=pk)
        return generated_file(
            decision_list_pdf(decision), content_type=PDF, filename=f"{_decision_file_stem(decision)}.pdf"
        )


class DecisionListXlsxView(requires(is_staff), View):
    def get(self, request, pk):
        decision = get_object_or_404(decisions_for_staff(request.user), pk=pk)
        return generated_file(
            decision_list_xlsx(decision), content_type=XLSX, filename=f"{_decision_file_stem(decision)}.xlsx"
        )
