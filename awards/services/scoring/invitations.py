"""Inviting a person to sit on a council: the account, the e-mail with its set-password or sign-in link."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts.enums import Role
from portal.core.messaging.mail import queue_mail
from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import notify

from ...access import may_sit_on_council
from ...enums import CouncilRole, PhaseKind
from ...models import (
    Council,
    CouncilMember,
)
from .councils import _require_council_open, _require_manager, council_member_add


def _invitation_link(user, base_url: str) -> str:
    """A set-password link (the password-reset confirmation page) for an account without a password yet,
    otherwise the sign-in page."""
    if user.has_usable_password():
        path = reverse("accounts:login")
    else:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return base_url.rstrip("/") + path


def _send_invitation(member: CouncilMember, base_url: str) -> None:
    council, user = member.council, member.user
    round_ = council.round
    scoring = round_.phases.filter(kind=PhaseKind.SCORING).first()
    body = render_to_string(
        "awards/email/council_invitation.txt",
        {
            "member": member,
            "user": user,
            "council": council,
            "round": round_,
            "link": _invitation_link(user, base_url),
            "set_password": not user.has_usable_password(),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "scoring": scoring,
        },
    )
    subject = _("Invitation to the council “%(council)s”") % {"council": council.name}
    queue_mail(to=[user.email], subject=subject, body=body)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("You are invited to sit on the council “%(council)s” of the round “%(round)s”.") % {
            "council": council.name,
            "round": round_.title,
        }
    notify([user], kind=NotificationKind.INVITATION, text=text, link=reverse("awards:member.dashboard"))


@transaction.atomic
def council_invitation_send(*, member: CouncilMember, actor, base_url: str) -> CouncilMember:
    """(Re)send a member its invitation: a new person gets a link to choose its password, an existing account
    the sign-in address. The e-mail goes to the outbox in this transaction and leaves once it commits."""
    _require_manager(actor, member.council.round)
    if not member.user.is_active:
        raise ValidationError(_("This account is disabled: it cannot sit on a council."))
    member.invited_at = timezone.now()
    member.save(update_fields=["invited_at"])
    _send_invitation(member, base_url)
    return member


@transaction.atomic
def council_member_invite(
    *,
    council: Council,
    actor,
    email: str,
    full_name: str = "",
    role: str = CouncilRole.MEMBER,
    organization: str = "",
    is_jury: bool = True,
    groups=(),
    phone: str = "",
    base_url: str = "",
) -> CouncilMember:
    """Seat a person on the council by e-mail address and invite it. An existing account (not a producer's) is
    seated as it is; otherwise a council-member account is created without a password, which the person
    chooses from the link in the invitation (that also confirms its e-mail address)."""
    _require_manager(actor, council.round)
    _require_council_open(council)
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email or "").strip().lower()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        if not full_name.strip():
            raise ValidationError({"full_name": _("No account uses this e-mail address: give the person's full name.")})
        user = user_model(email=email, full_name=full_name.strip(), phone=phone.strip(), role=Role.MEMBER)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif user.role == Role.PRODUCER:  # said of the address typed, rather than of "the account"
        raise ValidationError(
            {"email": _("This e-mail address belongs to a producer's account, which cannot sit on a council.")}
        )
    else:
        seatable, reason = may_sit_on_council(user, council.round)
        if not seatable:
            raise ValidationError({"email": reason})
    member = council_member_add(
        council=council, user=user, actor=actor, role=role, organization=organization, is_jury=is_jury, groups=groups
    )
    return council_invitation_send(member=member, actor=actor, base_url=base_url)
