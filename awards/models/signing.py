"""Digital signatures on certificates: the issuing bodies' signing certificates (installed by a superuser) and the
record of every certificate PDF the portal handed out (its SHA-256), which the public PDF check looks up."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.signing import KeyStorage
from products.models import Organization

from .certificates import Certificate


def pkcs12_upload_to(instance, filename):
    """A random name: the file's own name says nothing about whose key it is."""
    return f"{secrets.token_hex(16)}.p12"


class SigningCertificate(models.Model):
    """An issuing body's signing certificate (chứng thư số), as a PKCS#12 file in the private key storage. Its
    password is never stored: it is read when needed from the environment variable
    SIGNING_KEY_PASSWORD_<SECRET NAME> or the file SIGNING_SECRETS_DIR/<secret name>. One certificate in use per
    body; the others stay, to vouch for the documents they signed."""

    issuing_body = models.ForeignKey(
        Organization, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("name"), max_length=255)
    pkcs12 = models.FileField(_("PKCS#12 file"), storage=KeyStorage(), upload_to=pkcs12_upload_to)
    secret_name = models.SlugField(
        _("password name"),
        max_length=63,
        unique=True,
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. ubnd-cao-bang-2026: the password is then read from the "
            "environment variable SIGNING_KEY_PASSWORD_UBND_CAO_BANG_2026 or from the file ubnd-cao-bang-2026 in "
            "the server's secrets directory. It is never stored in the database."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    subject = models.CharField(_("subject"), max_length=1000, editable=False)
    common_name = models.CharField(_("signer"), max_length=255, editable=False)
    issuer = models.CharField(_("issued by (CA)"), max_length=1000, editable=False)
    serial_number = models.CharField(_("serial number"), max_length=100, editable=False)
    valid_from = models.DateTimeField(_("valid from"), editable=False)
    valid_until = models.DateTimeField(_("valid until"), editable=False)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True, editable=False)
    certificate_pem = models.TextField(editable=False)
    chain_pem = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("installed"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body"],
                condition=models.Q(is_active=True),
                name="one_signing_certificate_in_use_per_body",
            )
        ]

    def __str__(self):
        return self.label


class CertificateDocument(models.Model):
    """A certificate PDF as the portal handed it out (downloaded, exported): its SHA-256, and the signing
    certificate that signed it, if any. An uploaded PDF with the same hash is byte for byte one the portal
    issued."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="documents")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    signing_certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issued certificate file")
        verbose_name_plural = _("issued certificate files")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.certificate} {self.sha256[:12]}"
