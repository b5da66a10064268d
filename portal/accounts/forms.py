from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from portal.core.access import is_staff, is_superuser
from portal.core.messaging.mail import queue_mail

from .models import User
from .normalise import normalise_email


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong. Both are case-sensitive except the e-mail."),
        "inactive": _("This account has been disabled. Contact the department."),
        "unverified": _(
            "Your e-mail address has not been verified yet. Open the link we sent you, or ask for a new one."
        ),
    }

    def clean_username(self):
        # authenticate() and django-axes then see one spelling of the address (see normalise_email).
        return normalise_email(self.cleaned_data["username"])

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class AccountForm(forms.Form):
    """The person behind a new producer account."""

    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), help_text=_("You sign in with this address."))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    prefix = "account"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean_email(self):
        # Whether the address already has an account is not a form error: the page would tell anyone who has an
        # account. services.producer_register mails the owner instead and the answer is the same.
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, finding the account whatever the spelling of its address (see normalise_email). It
    answers the same whether or not the address has an account."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Django's reset e-mail, through the outbox like every other e-mail of the portal."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        queue_mail(to=[to_email], subject=subject, body=body, html_body=html)


class ProfileForm(forms.ModelForm):
    """Name and phone; department staff also choose how they hear of submitted dossiers."""

    class Meta:
        model = User
        fields = ["full_name", "phone", "submission_mail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (is_staff(self.instance) and not is_superuser(self.instance)):
            del self.fields["submission_mail"]
