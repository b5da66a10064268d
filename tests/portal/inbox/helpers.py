"""A department's desk for the inbox tests: a Cao Bằng round with dossiers in every state that asks something of
staff, its council part-way through scoring, OCOP ratings about to expire, khuyến công projects at each step and a
finished certificate export — all built through the services, as the pages build them. `size` multiplies what
there is, so that the query count can be compared on small and larger data."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from awards import services as award_services
from awards.enums import ExportStatus, PhaseKind, RoundStatus
from awards.models import CertificateExport, Nomination, NominationStatusLog
from extension_projects.enums import ProjectStatus
from portal.core.workflow import SYSTEM
from tests import factories
from tests.awards.helpers import level, programme
from tests.awards.nomination_helpers import ready_product, returned, submitted
from tests.awards.scoring_helpers import accepted, council_for, leaves, seat
from tests.extension_projects.helpers import project, to_implementing


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def province_round(province_name: str, title: str, *, registration_ends: int = 3):
    """A published province round whose registration is open today and whose scoring has begun today (its
    council is part-way through: sheets are taken only within the scoring phase); screening follows registration."""
    ends = days(registration_ends)
    round_ = award_services.round_create(
        programme=programme(),
        phases={
            PhaseKind.REGISTRATION: (days(-30), ends),
            PhaseKind.SCREENING: (ends + datetime.timedelta(days=1), days(20)),
            PhaseKind.SCORING: (days(0), days(35)),
        },
        level=level("province"),
        year=timezone.localdate().year,
        title=title,
        province=factories.province(province_name),
        organiser=factories.organization(province_name),
    )
    award_services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
    return round_


def waited(nomination, n_days: int) -> None:
    """The dossier reached the department `n_days` ago."""
    moment = timezone.now() - datetime.timedelta(days=n_days)
    NominationStatusLog.objects.filter(nomination=nomination).update(at=moment)


def deadline_passed(nomination, n_days: int = 2) -> Nomination:
    """The producer let the correction deadline pass (`n_days` ago)."""
    Nomination.objects.filter(pk=nomination.pk).update(correction_deadline=days(-n_days))
    nomination.corrections.update(deadline=days(-n_days))
    return Nomination.objects.get(pk=nomination.pk)


@dataclass
class Desk:
    round: object
    waiting: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    members: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    projects: dict = field(default_factory=dict)


def build_desk(staff, producer, producer_account, *, size: int = 1, tag: str = "a") -> Desk:
    round_ = province_round("Cao Bằng", f"Bình chọn cấp tỉnh Cao Bằng — {tag}")
    desk = Desk(round=round_)
    for i in range(2 * size):
        nomination = submitted(round_, ready_product(producer, f"Sản phẩm chờ {tag}{i}"), producer_account)
        waited(nomination, 12 - i)
        desk.waiting.append(nomination)
    for i in range(size):
        nomination = submitted(round_, ready_product(producer, f"Sản phẩm trả lại {tag}{i}"), producer_account)
        desk.overdue.append(deadline_passed(returned(nomination, staff)))
    _council(desk, staff, producer, producer_account, size, tag)
    _ratings(desk, staff, producer, size, tag)
    _projects(desk, staff, size, tag)
    for i in range(size):
        CertificateExport.objects.create(
            title=f"Bản in {tag}{i}",
            created_by=staff,
            status=ExportStatus.DONE,
            total=1,
            done=1,
            finished_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(hours=72),
        )
    return desk


def _council(desk, staff, producer, producer_account, size, tag):
    """Two accepted dossiers per `size`; the first member has submitted a sheet on the first one only."""
    for i in range(2 * size):
        desk.accepted.append(
            accepted(desk.round, producer, producer_account, staff, name=f"Sản phẩm chấm {tag}{i}", group_code="2")
        )
    council = council_for(desk.round, staff)
    desk.members = [seat(council, staff, full_name=f"Thành viên {tag}{i}") for i in range(2 + size)]
    points = {criterion.pk: criterion.max_points for criterion in leaves(council)}
    award_services.sheet_save(member=desk.members[0], nomination=desk.accepted[0], points=points, submit=True)


def _ratings(desk, staff, producer, size, tag):
    for i in range(size):
        product = factories.product(producer, f"Sản phẩm OCOP {tag}{i}")
        desk.ratings.append(
            award_services.ocop_rating_record(
                product=product,
                actor=staff,
                stars=3,
                score="65",
                decision_number=f"{i + 1}/QĐ-UBND",
                decision_date=days(-1000),
                valid_until=days(30 + i),
            )
        )


def _projects(desk, staff, size, tag):
    """Per `size`: a proposed project, and one being implemented with its local budget not yet paid."""
    desk.projects = {"proposed": [], "implementing": []}
    for i in range(size):
        desk.projects["proposed"].append(project(staff, code=f"KCĐP-{tag}-P{i}"))
        implementing = project(staff, code=f"KCĐP-{tag}-I{i}")
        to_implementing(implementing, staff)
        desk.projects["implementing"].append(implementing)
    assert {p.status for p in desk.projects["implementing"]} == {ProjectStatus.IMPLEMENTING}
