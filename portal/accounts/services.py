from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from products.services import producer_create

from .enums import Role
from .models import User

_SALT = "portal.accounts.verify-email"


def verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"id": user.pk, "email": user.email})


def user_for_verification_token(token: str) -> User | None:
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("id"), email=data.get("email")).first()


def send_verification_email(*, user: User, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("accounts:verify", args=[verification_token(user)])
    body = render_to_string(
        "accounts/email/verify.txt", {"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS}
    )
    send_mail(_("Confirm your e-mail address"), body, None, [user.email])


@transaction.atomic
def producer_register(*, account: dict, producer: dict, base_url: str) -> User:
    """A producer signs itself up: the producer record and its first account, unverified until the
    e-mail link is opened."""
    user = User.objects.create_user(
        email=account["email"],
        password=account["password1"],
        full_name=account["full_name"],
        phone=account.get("phone", ""),
        role=Role.PRODUCER,
    )
    # The producer's history then shows who registered it, not "system".
    user.producer = producer_create(created_by=user, history_user=user, **producer)
    user.save(update_fields=["producer"])
    transaction.on_commit(lambda: send_verification_email(user=user, base_url=base_url))
    return user


@transaction.atomic
def email_verify(*, user: User) -> User:
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
