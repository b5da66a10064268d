"""Two provinces' worth of records for the back-office tests, built through the services as the staff pages build
them: Cao Bằng (province A) and Cà Mau (province B), each with its staff, producer, round and council, scores,
decision, certificate, archive recognition, OCOP rating and target, project, fair and import batch."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

from awards import services as awards_services
from awards.enums import ConflictReason, CouncilRole, OcopTargetMetric, PhaseKind, RoundStatus
from awards.models import CriteriaSheet, FieldVisit, RecognitionTarget
from extension_projects import services as project_services
from extension_projects.enums import FairLevel
from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from portal.core.workflow import SYSTEM
from products.models import Document
from tests import factories
from tests.awards.certificate_helpers import DECISION_DATE, ISSUE_DATE, _accepted, _score_all, peoples_committee
from tests.awards.helpers import level, programme, registration_window
from tests.extension_projects.helpers import project
from tests.portal.imports.helpers import PRODUCER_HEADINGS, preview, xlsx

A, B = "Cao Bằng", "Cà Mau"
HYPERLINK = '=HYPERLINK("http://x","y")'


def staff_of(province_name: str, **extra):
    """Department staff with the back office's permission group, as accounts are set up in production."""
    user = factories.UserFactory(
        role=Role.STAFF,
        organization=factories.organization(province_name),
        is_staff=True,
        full_name=f"Cán bộ Sở {province_name}",
        **extra,
    )
    user.groups.add(ensure_staff_group())
    return user


def province_world(
    province_name: str, staff, tag: str, decision_number: str = "1450/QĐ-UBND", seated=()
) -> SimpleNamespace:
    """`seated`: more accounts to seat on the council (before the decision puts it on record)."""
    prov = factories.province(province_name)
    producer = factories.producer(f"HTX {tag}", province_name)
    producer_account = factories.UserFactory(role=Role.PRODUCER, producer=producer, full_name=f"Chủ cơ sở {tag}")
    round_ = awards_services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration_window()},
        level=level("province"),
        year=registration_window()[0].year,
        province=prov,
        organiser=staff.organization,
        title=f"Bình chọn cấp tỉnh {province_name}",
        # One sheet is enough here: the accounts `seated` do not score (the quorum is the round's own data).
        quorum_numerator=1,
        quorum_denominator=3,
    )
    awards_services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
    round_.refresh_from_db()
    nomination = _accepted(round_, producer, f"Sản phẩm {tag}", staff)
    council = awards_services.council_create(
        round_=round_,
        actor=staff,
        name=f"Hội đồng bình chọn {province_name}",
        decision_number="15/QĐ-SCT",
        signer="Giám đốc Sở",
        decision_date=datetime.date(2026, 11, 1),
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4"),
    )
    member_user = factories.UserFactory(role=Role.MEMBER, full_name=f"Thành viên {tag}")
    member = awards_services.council_member_add(council=council, actor=staff, role=CouncilRole.CHAIR, user=member_user)
    conflicted = awards_services.council_member_add(
        council=council, actor=staff, role=CouncilRole.MEMBER, user=factories.UserFactory(role=Role.MEMBER)
    )
    for user in seated:
        awards_services.council_member_add(council=council, actor=staff, role=CouncilRole.MEMBER, user=user)
    conflict = awards_services.conflict_declare(
        member=conflicted, nomination=nomination, reason=ConflictReason.RELATIVE, actor=staff
    )
    _score_all(council, member, nomination, Decimal("0.9"))
    sheet = member.sheets.get()
    field_visit = FieldVisit.objects.create(nomination=nomination)
    decision = awards_services.decision_publish(
        round_=round_,
        actor=staff,
        nominations=[nomination],
        number=decision_number,
        date=DECISION_DATE,
        issuing_body=peoples_committee(province_name),
        signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Trung Thảo",
    )
    (certificate,) = awards_services.certificates_issue_for_decision(
        decision=decision, actor=staff, issued_on=ISSUE_DATE
    )
    archive_product = factories.product(producer, f"Sản phẩm lưu trữ {tag}")
    recognition = awards_services.recognition_record(
        actor=staff,
        product=archive_product,
        level=level("province"),
        year=2019,
        decision_number="321/QĐ-UBND",
        decision_date=datetime.date(2019, 10, 5),
    )
    rating = awards_services.ocop_rating_record(
        product=archive_product,
        actor=staff,
        stars=3,
        score="60",
        decision_number="55/QĐ",
        decision_date=datetime.date(2024, 1, 5),
    )
    target = awards_services.ocop_target_set(
        actor=staff, province=prov, year=2026, metric=OcopTargetMetric.AT_LEAST_3, value=10
    )
    recognition_target = RecognitionTarget.objects.create(
        province=prov, level=level("province"), period_start=2022, period_end=2030, count=10
    )
    khuyen_cong = project(staff, code=f"{tag}-2024-01", province=province_name)
    fair = project_services.fair_create(
        actor=staff,
        name=f"Hội chợ {province_name} 2024",
        starts_on=datetime.date(2024, 10, 2),
        ends_on=datetime.date(2024, 10, 6),
        place=province_name,
        organiser="Sở Công Thương",
        level=FairLevel.PROVINCIAL,
        booths=100,
        province=prov,
    )
    participation = project_services.participation_record(
        fair=fair, producer=producer, actor=staff, products=[archive_product], booths=1
    )
    batch = preview(
        staff,
        "producers",
        xlsx(
            PRODUCER_HEADINGS,
            [[factories.next_tax_code(), f"Cơ sở nhập {tag}", "Hộ kinh doanh", "An", province_name, ""]],
        ),
    )
    return SimpleNamespace(
        province=prov,
        staff=staff,
        organization=staff.organization,
        producer=producer,
        producer_account=producer_account,
        product=nomination.product,
        document=Document.objects.filter(producer=producer).order_by("pk").first(),
        round=round_,
        council=council,
        member=member,
        member_user=member_user,
        conflict=conflict,
        sheet=sheet,
        field_visit=field_visit,
        decision=decision,
        certificate=certificate,
        recognition=recognition,
        rating=rating,
        target=target,
        recognition_target=recognition_target,
        project=khuyen_cong,
        fair=fair,
        participation=participation,
        batch=batch,
    )


class _FormReader(HTMLParser):
    """The values a browser would send for the admin's change form (`id="<model>_form"`): inputs (checked boxes
    only), selected options and text areas; the csrf token and buttons left out."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea, self._in_form = {}, None, None, False

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or (not attrs.get("name") and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if name != "csrfmiddlewaretoken":
                self._add(name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def change_form_data(html: str) -> dict:
    """The POST a browser would make from this admin change page, unchanged: {name: value or [values]}."""
    reader = _FormReader()
    reader.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}
