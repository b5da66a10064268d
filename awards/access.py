"""How the programme's records reach a province, a producer and a council seat (read by portal.core.access).

A province's staff manage the rounds their province organises and read the region and national rounds its
producers may be sent to; the ministry agency manages region and national rounds. Dossiers are seen by the
producer's province and by the round's organiser; councils, members' sheets and field visits only by the
round's organiser (`via_manages`)."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.enums import Role
from portal.core.access import (
    Reach,
    Rule,
    allows,
    is_member,
    is_signed_in,
    is_staff,
    is_superuser,
    province_scope,
    register,
    verdict,
)

from .enums import AreaKind
from .models import (
    Certificate,
    CertificateDocument,
    CertificateExport,
    CertificateSequence,
    CertificateStatusLog,
    Conflict,
    CorrectionRequest,
    Council,
    CouncilMember,
    CouncilPassLog,
    CriteriaSheet,
    Criterion,
    Decision,
    FieldVisit,
    Level,
    LevelChecklistItem,
    Nomination,
    NominationDocument,
    NominationPhoto,
    NominationStatusLog,
    NominationVersion,
    OcopCriteriaSet,
    OcopRating,
    OcopStarBand,
    OcopTarget,
    Programme,
    ReceiptSequence,
    Recognition,
    RecognitionTarget,
    Region,
    Round,
    RoundChecklistItem,
    RoundGroupRule,
    RoundPhase,
    RoundStatusLog,
    Score,
    ScoreSheet,
    SheetReopening,
    SigningCertificate,
)

NATIONWIDE_AREAS = (AreaKind.REGION, AreaKind.NATIONAL)


def _rounds_for_staff(qs, scope, write):
    if scope.reach is Reach.NATIONWIDE:
        return qs.filter(level__area_kind__in=NATIONWIDE_AREAS)
    if scope.reach is not Reach.PROVINCE:
        return qs.none()
    if write:
        return qs.filter(province_id=scope.province_id)
    # A province reads its own rounds and the region and national rounds its producers may be sent to.
    return qs.filter(
        Q(province_id=scope.province_id)
        | Q(region__provinces=scope.province_id)
        | Q(level__area_kind=AreaKind.NATIONAL)
    ).distinct()


def _round_test(round_, scope, write):
    if scope.reach is Reach.NATIONWIDE:
        return round_.level.area_kind in NATIONWIDE_AREAS
    if round_.province_id == scope.province_id:
        return True
    if write:
        return False
    if round_.level.area_kind == AreaKind.NATIONAL:
        return True
    return None  # a region round: the database knows the region's provinces


for reference in (
    Programme,
    Level,
    LevelChecklistItem,
    Region,
    CriteriaSheet,
    Criterion,
    OcopCriteriaSet,
    OcopStarBand,
):
    register(reference, Rule(reference=True))
register(ReceiptSequence, Rule(superuser_only=True))
# The history of many-to-many links (django-simple-history): raw audit rows, read through their record's history.
for through in ("HistoricalFieldVisit_members", "HistoricalDecision_nominations"):
    register(apps.get_model("awards", through), Rule(superuser_only=True))
register(CertificateSequence, Rule(province=("issuing_body__province",), ministry_reads=False))

register(Round, Rule(staff=_rounds_for_staff, staff_test=_round_test))
for child in (RoundPhase, RoundChecklistItem, RoundGroupRule, RoundStatusLog, Decision):
    register(child, Rule(via="round"))

register(
    Nomination,
    Rule(
        province=("producer__current_province", "round__province"),
        producer="producer",
        member="round__council__members__user",
        nationwide=Q(round__level__area_kind__in=NATIONWIDE_AREAS),
    ),
)
for child in (NominationDocument, NominationPhoto, NominationStatusLog, CorrectionRequest, NominationVersion):
    register(child, Rule(via="nomination"))

register(Council, Rule(via="round", via_manages=True, member="members__user", ministry_reads=False))
register(CouncilMember, Rule(via="council", member="user", ministry_reads=False))
register(CouncilPassLog, Rule(via="council", ministry_reads=False))
register(Conflict, Rule(via="member", member="member__user", ministry_reads=False))
register(ScoreSheet, Rule(via="member", member="member__user", ministry_reads=False))
register(Score, Rule(via="sheet", member="sheet__member__user", ministry_reads=False))
register(SheetReopening, Rule(via="sheet", ministry_reads=False))
register(FieldVisit, Rule(via="nomination", ministry_reads=False))

register(
    Recognition,
    Rule(
        province=("product__producer__current_province",),
        producer="product__producer",
        nationwide=Q(level__area_kind__in=NATIONWIDE_AREAS),
    ),
)
register(
    Certificate,
    Rule(
        province=("recognition__product__producer__current_province", "recognition__decision__round__province"),
        producer="recognition__product__producer",
        nationwide=Q(recognition__level__area_kind__in=NATIONWIDE_AREAS),
    ),
)
register(CertificateStatusLog, Rule(via="certificate"))
register(CertificateExport, Rule(owner="created_by"))
# Issuing bodies' signing certificates: installed and seen by superusers only (a key is not a province's record).
register(SigningCertificate, Rule(superuser_only=True))
register(CertificateDocument, Rule(via="certificate"))

register(OcopRating, Rule(province=("product__producer__current_province",), producer="product__producer"))
register(OcopTarget, Rule(province=("province",)))
register(RecognitionTarget, Rule(province=("province", "province__successor")))


def sits_on_a_council(user) -> bool:
    """Council members, and any other account holding a jury seat, open the members' pages (each page then
    shows only the seat's own dossiers)."""
    if is_member(user):
        return True
    return is_signed_in(user) and CouncilMember.objects.filter(user=user, is_jury=True).exists()


def may_sit_on_council(user, round_) -> tuple[bool, str]:
    """Who may be seated on a round's council: council-member accounts, and the staff of the organiser (its
    secretary, say). Never a producer's account, a superuser, a ministry official or another body's staff:
    seating someone must not hand the seating department that person's account (portal.accounts.access reads
    and changes the council-member accounts seated on its rounds)."""
    if not is_signed_in(user):
        return False, _("This account is disabled: it cannot sit on a council.")
    if user.role == Role.PRODUCER:
        return False, _("A producer account cannot sit on a council.")
    if is_member(user):
        return True, ""
    if is_staff(user) and not user.is_superuser and allows(user, round_, write=True):
        return True, ""
    return False, _(
        "This account belongs to another body (another province's department, the ministry or the administrators): "
        "only council-member accounts and the organiser's own staff sit on a council."
    )


# -- the programme's own refusals (each answer comes from the rules above) ----------------------------------------
def can_manage_round(user, round_) -> tuple[bool, str]:
    if allows(user, round_, write=True):
        return True, ""
    if not is_staff(user):
        return False, _("Only department staff manage rounds.")
    if round_.level.area_kind in NATIONWIDE_AREAS:
        return False, _("Region and national rounds are managed by the ministry agency.")
    return False, _("This round belongs to another province.")


def can_create_rounds(user) -> bool:
    return is_superuser(user) or (is_staff(user) and not province_scope(user, write=True).is_nothing)


def can_manage_recognition(user, recognition) -> tuple[bool, str]:
    """Certificates of a recognition: the managers of the round whose decision made it, or — for recognitions
    recorded from the archive — the staff of the producer's province today."""
    if recognition.decision_id:
        return can_manage_round(user, recognition.decision.round)
    if not is_staff(user):
        return False, _("Only department staff manage certificates.")
    return verdict(user, recognition, refusal=_("This product belongs to another province."))


def can_record_recognition(user, product, level=None) -> tuple[bool, str]:
    """A province's department records the recognitions of its own producers' products (at any level: it keeps
    copies of the region and national decisions too); the ministry agency records region and national ones."""
    if is_superuser(user):
        return True, ""
    if not is_staff(user):
        return False, _("Only department staff record recognitions.")
    scope = province_scope(user, write=True)
    if scope.reach is Reach.NATIONWIDE:
        if level is None or level.area_kind in NATIONWIDE_AREAS:
            return True, ""
        return False, _("The ministry agency records region and national recognitions only.")
    if allows(user, product, write=True):
        return True, ""
    return False, _("This product belongs to a producer of another province.")


def can_set_ocop_target(user, province) -> tuple[bool, str]:
    """A province's OCOP targets are set by its own department (today's province); superusers set any."""
    if is_superuser(user):
        return True, ""
    if not is_staff(user):
        return False, _("Only department staff set OCOP targets.")
    scope = province_scope(user, write=True)
    if province is not None and scope.reach is Reach.PROVINCE and scope.province_id == province.pk:
        return True, ""
    return False, _("These targets belong to another province.")


def can_close_scoring(council) -> tuple[bool, str]:
    """Scores are final (scoring closed, the decision published) only once a two-pass council's first pass is
    closed: the second pass decides."""
    if council.first_pass_open:
        return False, gettext("Close the first pass first: the second pass decides.")  # the caller's language
    return True, ""
