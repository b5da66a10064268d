"""One spelling of an e-mail address for everything that looks an account up or counts sign-in failures.

`A@X.VN`, ` a@x.vn ` and a Unicode-decomposed (NFD) spelling of the same address must reach the same account and
share one lockout budget: the sign-in form, the authentication backend, registration, password reset, the resend of
the verification link, the stored address (User.save) and django-axes (settings.AXES_USERNAME_CALLABLE) all use
normalise_email."""

import unicodedata

from django.conf import settings


def normalise_email(text: str) -> str:
    """Strip surrounding blanks, compose Unicode (NFC: "à" typed as "a" + combining grave becomes "à") and
    lower-case."""
    return unicodedata.normalize("NFC", text.strip()).lower()


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name django-axes records and counts failures under (axes' own lookup, then
    normalised). Called with the credentials given to authenticate(), or with none to read the posted form."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(username) if isinstance(username, str) else username


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address from the same request header as the verification rate limit
    (`RATELIMIT_IP_META_KEY`: REMOTE_ADDR, or behind the department's proxy e.g. HTTP_X_REAL_IP), so that
    behind a proxy the lockout counts each client, not the proxy's one address for everybody."""
    value = request.META.get(settings.RATELIMIT_IP_META_KEY) or request.META.get("REMOTE_ADDR")
    return value.split(",")[0].strip() if value else None
