from django.contrib.auth.backends import ModelBackend

from .normalise import normalise_email


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address in any spelling (case, blanks, Unicode composition: normalise_email);
    inactive accounts are refused by ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if email:
            email = normalise_email(email)
        return super().authenticate(request, username=email, password=password, **kwargs)
