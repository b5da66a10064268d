"""The public check of a certificate file: anyone uploads a PDF and learns whether it is an unaltered certificate
the portal issued (its digital signature, the record of issued files, the certificate's state today). No sign-in;
each upload counts against the same per-address budget as the other verification pages (VERIFY_RATE); the file
is read in memory, checked, and kept nowhere."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from ..enums import CertificateState
from ..selectors import Verdict, certificate_pdf_verdict_of
from .verify import _limited, _private, _too_many

TEMPLATE = "awards/public/verify_pdf.html"
MB = 1024 * 1024
TONE = {
    Verdict.ISSUED_SIGNED: "valid",
    Verdict.ISSUED_UNSIGNED: "valid",
    Verdict.MODIFIED: "revoked",
    Verdict.UNREADABLE: "revoked",
    Verdict.FOREIGN: "revoked",
    Verdict.NOT_RECORDED: "expired",
    Verdict.UNKNOWN: "unknown",
}
ISSUED = (Verdict.ISSUED_SIGNED, Verdict.ISSUED_UNSIGNED)
# A genuine file of a certificate no longer in force leads with that state, never a green "unaltered".
STATE_TONE = {
    CertificateState.REVOKED: "revoked",
    CertificateState.REPLACED: "replaced",
    CertificateState.EXPIRED: "expired",
}


def tone_of(result) -> str:
    if result.verdict in ISSUED:
        return STATE_TONE.get(result.state, TONE[result.verdict])
    return TONE[result.verdict]


class VerifyPdfForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate file (PDF)"),
        help_text=_("The PDF downloaded from the portal or received from the producer."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.VERIFY_PDF_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                gettext("The file is larger than %(size)s MB; a certificate PDF is far smaller.")
                % {"size": f"{limit / MB:g}"}
            )
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise ValidationError(gettext("This file is not a PDF: only a certificate's PDF file can be checked."))
        return upload


class VerifyPdfView(View):
    def get(self, request):
        return _private(render(request, TEMPLATE, {"form": VerifyPdfForm()}))

    def post(self, request):
        if _limited(request):
            return _too_many(request)
        form = VerifyPdfForm(request.POST, request.FILES)
        if not form.is_valid():
            return _private(render(request, TEMPLATE, {"form": form}, status=400))
        result = certificate_pdf_verdict_of(form.cleaned_data["file"])
        context = {
            "form": VerifyPdfForm(),
            "result": result,
            "tone": tone_of(result),
            "withdrawn": result.verdict in ISSUED and result.state in STATE_TONE,
            "Verdict": Verdict,
            "State": CertificateState,
            "file_name": form.cleaned_data["file"].name,
        }
        return _private(render(request, TEMPLATE, context))
