"""Strings of Django and of installed packages that the portal's catalogue translates itself: Django consults the
portal's catalogue (LOCALE_PATHS) first. Listed here so that `makemessages` keeps them; nothing imports this
module.

- Django's own Vietnamese reads "Enter a whole number." as "Nhập một số tổng thể" (a "total" number): the
  portal says "Nhập một số nguyên".
- django-axes (the sign-in lockout, in the back office) ships no Vietnamese catalogue: its models and the fields
  its admin lists."""

from django.utils.translation import gettext_noop

DJANGO_CORRECTED = (gettext_noop("Enter a whole number."),)

AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
)
