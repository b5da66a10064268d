"""Printable documents of a nomination: the registration form (phiếu đăng ký) as PDF, for its producer and for
department staff. Anything a user may not see answers 404, so nomination ids reveal nothing."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from portal.core.access import is_producer, is_staff, requires
from portal.core.files import PDF, generated_file

from ..access import can_manage_round
from ..models import Nomination
from ..printouts.registration import registration_form_pdf


def _nominations():
    return Nomination.objects.select_related(
        "round__level",
        "round__organiser",
        "product__group",
        "producer__current_province",
        "producer__province",
        "producer__unit",
        "producer__current_unit",
    )


def staff_may_see_nomination(user, nomination) -> bool:
    """Staff of the round's organiser (can_manage_round), or of the province the producer belongs to today."""
    if can_manage_round(user, nomination.round)[0]:
        return True
    org = user.organization if user.organization_id else None
    return bool(org and org.province_id and org.province_id == nomination.producer.current_province_id)


class RegistrationFormPdfView(View):
    """The filled registration form, inline. Subclasses say who may open which nomination (get_nomination)."""

    def get(self, request, pk):
        nomination = self.get_nomination(pk)
        pdf = registration_form_pdf(nomination)
        # A dossier is personal data: never kept in a shared cache (generated_file's default).
        return generated_file(
            pdf, content_type=PDF, filename=f"phieu-dang-ky-{nomination.receipt_code or nomination.pk}.pdf"
        )


class ProducerRegistrationFormPdfView(requires(is_producer), RegistrationFormPdfView):
    """The producer's own nominations only; another producer's answers 404."""

    def get_nomination(self, pk):
        return get_object_or_404(_nominations(), pk=pk, producer=self.producer)


class StaffRegistrationFormPdfView(requires(is_staff), RegistrationFormPdfView):
    """Staff of the organising body or of the producer's province; anyone else 404."""

    def get_nomination(self, pk):
        nomination = get_object_or_404(_nominations(), pk=pk)
        if not staff_may_see_nomination(self.request.user, nomination):
            raise Http404
        return nomination
