"""The demo's award rounds: the open ones, their nominations and council, and the finished 2024 Cao Bằng round
with its decision and certificates."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.core.workflow import SYSTEM
from products import services
from products.models import AdministrativeUnit, Organization, Producer, Product

from .accounts import DEMO_PASSWORD
from .files import demo_pdf, demo_photo


# -- award rounds
def load_rounds() -> int:
    """An open province round of Cao Bằng (registration runs around today) and a draft commune round."""
    from awards import services as award_services
    from awards.checklist_templates import attach_template
    from awards.enums import RoundStatus
    from awards.models import Level, Programme, Round

    programme = Programme.objects.get(code="spcnnttb")
    cao_bang = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    department = Organization.objects.get(name="Sở Công Thương tỉnh Cao Bằng")
    today = timezone.localdate()
    made = 0
    if not Round.objects.filter(title__startswith="Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng").exists():
        province_round = award_services.round_create(
            programme=programme,
            level=Level.objects.get(programme=programme, code="province"),
            year=today.year,
            title=f"Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng năm {today.year}",
            organiser=department,
            province=cao_bang,
            quota_per_province=None,
            notes="Hồ sơ nộp trực tuyến trên Cổng hoặc trực tiếp tại Sở Công Thương tỉnh Cao Bằng.",
            phases={
                "registration": (today - timedelta(days=20), today + timedelta(days=25)),
                "screening": (today + timedelta(days=26), today + timedelta(days=40)),
                # Open today: the demo council below has begun scoring (sheets are refused outside this phase).
                "scoring": (today - timedelta(days=1), today + timedelta(days=55)),
                "results": (today + timedelta(days=56), today + timedelta(days=70)),
            },
        )
        award_services.round_set_status(
            round_=province_round, to=RoundStatus.PUBLISHED, actor=SYSTEM, note="Dữ liệu mẫu"
        )
        # The department's blank form of the required product description, to download from the round's page.
        attach_template(
            province_round.checklist.get(document_type__code="product_description"),
            demo_pdf("Mẫu Bản thuyết minh sản phẩm.pdf"),
        )
        made += 1
    if not Round.objects.filter(title__startswith="Bình chọn sản phẩm CNNT tiêu biểu cấp xã").exists():
        award_services.round_create(
            programme=programme,
            level=Level.objects.get(programme=programme, code="commune"),
            year=today.year + 1,
            title=f"Bình chọn sản phẩm CNNT tiêu biểu cấp xã Nguyên Bình năm {today.year + 1}",
            organiser=department,
            province=cao_bang,
            local_unit=AdministrativeUnit.objects.get(level="ward", parent=cao_bang, name="Nguyên Bình"),
            phases={"registration": (today + timedelta(days=60), today + timedelta(days=90))},
        )
        made += 1
    return made


# -- nominations in every screening state
def load_nominations() -> int:
    from awards.enums import NominationStatus
    from awards.models import Round

    round_ = Round.objects.filter(title__startswith="Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng").first()
    if round_ is None or round_.nominations.exists():
        return 0
    staff = User.objects.get(email="canbo.caobang@cnnt.demo")
    owner = User.objects.get(email="htx.tamhoa@cnnt.demo")
    tam_hoa = Producer.objects.get(tax_code="4800150011")
    generated = list(
        Product.objects.filter(producer__current_province=round_.province, is_generated=True)
        .select_related("producer", "group")
        .order_by("id")[:6]
    )
    lap_suon, thit = tam_hoa.products.order_by("id")
    staff_states = [
        NominationStatus.RETURNED,
        NominationStatus.RESUBMITTED,
        NominationStatus.ACCEPTED,  # scored by the council below, then its scoring is closed
        NominationStatus.REJECTED,
        NominationStatus.SUBMITTED,
        NominationStatus.ACCEPTED,  # waiting for the council
    ]
    plan = [
        (lap_suon, owner, NominationStatus.SUBMITTED),
        (thit, owner, NominationStatus.DRAFT),
        (
            Product.objects.get(name="Chiếu trúc 688"),
            User.objects.get(email="cty688@cnnt.demo"),
            NominationStatus.IN_SCREENING,
        ),
        *zip(generated, [staff] * 6, staff_states, strict=True),
    ]
    for product, actor, target in plan:
        dossier_on_file(product)
        _nomination_to(round_, product, actor, staff, target)
    return len(plan)


def _nomination_to(round_, product, actor, staff, target) -> None:
    """A dossier of `product` filed by `actor`, taken by `staff` through the services to the state `target`."""
    from awards import services as award_services
    from awards.enums import NominationStatus

    today = timezone.localdate()
    nomination = award_services.nomination_create(round_=round_, product=product, actor=actor)
    award_services.nomination_update_form(
        nomination=nomination,
        actor=actor,
        annual_output="10 tấn/năm",
        annual_revenue=1_075_000_000,
        workers=product.producer.workers or 12,
        materials="Nguyên liệu tại địa phương.",
        markets="Trong tỉnh, các siêu thị và sàn thương mại điện tử.",
        highlights="Sản phẩm mang đặc trưng văn hóa địa phương, được thị trường đón nhận.",
        declaration_accepted=target != NominationStatus.DRAFT,
    )
    if target == NominationStatus.DRAFT:
        return
    award_services.nomination_submit(nomination=nomination, actor=actor)
    if target == NominationStatus.SUBMITTED:
        return
    award_services.nomination_start_screening(nomination=nomination, actor=staff)
    if target in (NominationStatus.RETURNED, NominationStatus.RESUBMITTED):
        award_services.correction_request(
            nomination=nomination,
            actor=staff,
            items=["field:annual_output", "photos"],
            message="Ghi rõ sản lượng năm 2025 và bổ sung ảnh chụp bao bì.",
            deadline=today + timedelta(days=14),
        )
        if target == NominationStatus.RESUBMITTED:
            award_services.nomination_update_form(nomination=nomination, actor=staff, annual_output="12 tấn năm 2025")
            award_services.nomination_submit(nomination=nomination, actor=staff)
    elif target == NominationStatus.ACCEPTED:
        award_services.nomination_accept(nomination=nomination, actor=staff, note="Hồ sơ đầy đủ.")
    elif target == NominationStatus.REJECTED:
        award_services.nomination_reject(nomination=nomination, actor=staff, reason="Sản phẩm chưa sản xuất hàng loạt.")


def dossier_on_file(product):
    """The registration certificate and product description the checklist asks for, and 3 photos."""
    from products.models import Document, DocumentType

    producer = product.producer
    for code, for_product in (("registration", None), ("product_description", product)):
        doc_type = DocumentType.objects.get(code=code)
        if not Document.objects.filter(producer=producer, doc_type=doc_type, product=for_product).exists():
            services.document_add(
                producer=producer,
                product=for_product,
                doc_type=doc_type,
                file=demo_pdf(f"{code}.pdf"),
                number=f"{producer.tax_code[-4:]}/{code[:3].upper()}",
                issuer="Sở Kế hoạch và Đầu tư",
            )
    for i in range(product.photos.count(), 3):
        services.photo_add(product=product, image=demo_photo(product.name, i))


# -- the council of the open Cao Bằng round, with sheets on the accepted dossier
def load_council() -> int:
    import datetime

    from awards import services as award_services
    from awards.enums import ConflictReason, CouncilRole, NominationStatus
    from awards.models import Council, CriteriaSheet, Criterion, Round

    round_ = Round.objects.filter(title__startswith="Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng").first()
    if round_ is None or Council.objects.filter(round=round_).exists():
        return 0
    staff = User.objects.get(email="canbo.caobang@cnnt.demo")
    council = award_services.council_create(
        round_=round_,
        actor=staff,
        name=f"Hội đồng bình chọn sản phẩm CNNT tiêu biểu tỉnh Cao Bằng năm {round_.year}",
        decision_number="215/QĐ-SCT",
        decision_date=timezone.localdate() - datetime.timedelta(days=10),
        signer="Giám đốc Sở Công Thương",
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4", version=1),
    )
    people = [("hoidong@cnnt.demo", "Phạm Đức Minh", CouncilRole.CHAIR, "Sở Công Thương")] + [
        (f"thanhvien{i}@cnnt.demo", name, CouncilRole.MEMBER, org)
        for i, (name, org) in enumerate(
            [
                ("Nông Văn Hải", "Sở Khoa học và Công nghệ"),
                ("Hoàng Thị Thu", "Sở Nông nghiệp và Môi trường"),
                ("Lục Văn Quân", "Liên minh Hợp tác xã tỉnh"),
                ("Bế Thị Hương", "Hội Liên hiệp Phụ nữ tỉnh"),
                ("Đàm Quang Vinh", "Trung tâm Khuyến công và Xúc tiến thương mại"),
                ("Triệu Thị Mai", "Sở Văn hóa, Thể thao và Du lịch"),
            ],
            start=1,
        )
    ]
    members = []
    for email, name, role, org in people:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, role=Role.MEMBER, email_verified=True
        )
        members.append(
            award_services.council_member_add(council=council, user=user, actor=staff, role=role, organization=org)
        )
    accepted = round_.nominations.filter(status=NominationStatus.ACCEPTED).order_by("id").first()
    if accepted is not None:
        # One member is the producer's relative; one scores far below the others (an outlier).
        award_services.conflict_declare(
            member=members[6], nomination=accepted, reason=ConflictReason.RELATIVE, actor=members[6].user
        )
        leaves = list(Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order"))
        for member, share in zip(members[:6], ["0.82", "0.78", "0.85", "0.80", "0.76", "0.50"], strict=True):
            points = {c.pk: (c.max_points * Decimal(share)).quantize(Decimal("0.25")) for c in leaves}
            award_services.sheet_save(
                member=member,
                nomination=accepted,
                points=points,
                submit=member != members[1],
                comment="Sản phẩm có chất lượng, mẫu mã phù hợp thị trường.",
            )
    return len(members)


# -- a finished round: scored, decision published, products recognised or not
def load_closed_round() -> int:
    import datetime

    from awards import services as award_services
    from awards.enums import RoundStatus
    from awards.models import Level, Programme, Round

    title = "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng năm 2024"
    if Round.objects.filter(title=title).exists():
        return 0
    staff = User.objects.get(email="canbo.caobang@cnnt.demo")
    today = timezone.localdate()
    programme = Programme.objects.get(code="spcnnttb")
    cao_bang = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    department = Organization.objects.get(name="Sở Công Thương tỉnh Cao Bằng")
    # Built through the same services as a live round, then dated back to 2024 and closed.
    round_ = award_services.round_create(
        programme=programme,
        level=Level.objects.get(programme=programme, code="province"),
        year=2024,
        title=title,
        organiser=department,
        province=cao_bang,
        phases={"registration": (today - timedelta(days=1), today + timedelta(days=1))},
    )
    award_services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
    nominations = _closed_round_nominations(round_, staff, cao_bang)
    council, members = _closed_round_council(round_, staff)
    _closed_round_sheets(council, members, nominations, staff)
    award_services.scores_finalise(round_=round_, actor=staff)
    award_services.decision_publish(
        round_=round_,
        actor=staff,
        nominations=nominations[:2],
        number="1450/QĐ-UBND",
        date=datetime.date(2024, 10, 21),
        issuing_body=Organization.objects.get(name="Ủy ban nhân dân tỉnh Cao Bằng"),
        signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Trung Thảo",
    )
    dates = {
        "registration": (datetime.date(2024, 6, 1), datetime.date(2024, 7, 31)),
        "screening": (datetime.date(2024, 8, 1), datetime.date(2024, 8, 31)),
        "scoring": (datetime.date(2024, 9, 10), datetime.date(2024, 9, 30)),
        "results": (datetime.date(2024, 10, 1), datetime.date(2024, 10, 31)),
    }
    for kind, (starts, ends) in dates.items():
        round_.phases.update_or_create(kind=kind, defaults={"starts_on": starts, "ends_on": ends})
    award_services.round_set_status(round_=round_, to=RoundStatus.CLOSED, actor=SYSTEM, note="Dữ liệu mẫu")
    return 1


def _closed_round_nominations(round_, staff, cao_bang) -> list:
    """Three generated Cao Bằng products filed and accepted in the 2024 round."""
    from awards import services as award_services

    products = list(Product.objects.filter(producer__current_province=cao_bang, is_generated=True).order_by("id")[6:9])
    nominations = []
    for product in products:
        dossier_on_file(product)
        nomination = award_services.nomination_create(round_=round_, product=product, actor=staff)
        award_services.nomination_update_form(
            nomination=nomination,
            actor=staff,
            annual_output="8 tấn/năm",
            annual_revenue=850_000_000,
            workers=10,
            markets="Trong tỉnh và các tỉnh lân cận.",
            highlights="Sản phẩm truyền thống của địa phương.",
            declaration_accepted=True,
        )
        award_services.nomination_submit(nomination=nomination, actor=staff)
        award_services.nomination_accept(nomination=nomination, actor=staff)
        nominations.append(nomination)
    return nominations


def _closed_round_council(round_, staff):
    """The 2024 round's council: a chair and six members."""
    import datetime

    from awards import services as award_services
    from awards.enums import CouncilRole
    from awards.models import CriteriaSheet

    council = award_services.council_create(
        round_=round_,
        actor=staff,
        name="Hội đồng bình chọn sản phẩm CNNT tiêu biểu tỉnh Cao Bằng năm 2024",
        decision_number="112/QĐ-SCT",
        decision_date=datetime.date(2024, 9, 5),
        signer="Giám đốc Sở Công Thương",
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4", version=1),
    )
    emails = ["hoidong@cnnt.demo"] + [f"thanhvien{i}@cnnt.demo" for i in range(1, 7)]
    members = [
        award_services.council_member_add(
            council=council,
            user=User.objects.get(email=email),
            actor=staff,
            role=CouncilRole.CHAIR if i == 0 else CouncilRole.MEMBER,
        )
        for i, email in enumerate(emails)
    ]
    return council, members


def _closed_round_sheets(council, members, nominations, staff) -> None:
    from awards import services as award_services
    from awards.enums import ConflictReason
    from awards.models import Criterion

    # The demo's fully scored round: 7 members; one declares a conflict of interest with the second dossier (and
    # has no sheet for it); one scores the first dossier 25 points below the others (an outlier: more than 15
    # points from the median). Every other sheet is submitted.
    conflicted, outlier = members[5], members[6]
    award_services.conflict_declare(
        member=conflicted, nomination=nominations[1], reason=ConflictReason.SAME_COMMUNE, actor=staff
    )
    leaves = Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order")
    for index, (nomination, share) in enumerate(zip(nominations, ["0.84", "0.76", "0.62"], strict=True)):
        for offset, member in enumerate(members):
            if member == conflicted and index == 1:
                continue
            factor = Decimal(share) + Decimal(offset % 3 - 1) / 50
            if member == outlier and index == 0:
                factor -= Decimal("0.25")
            points = {c.pk: (c.max_points * factor).quantize(Decimal("0.01")) for c in leaves}
            award_services.sheet_save(member=member, nomination=nomination, points=points, submit=True)


def load_certificates() -> int:
    """The certificates of the 2024 Cao Bằng decision, issued on 05/11/2024 (their QR codes verify)."""
    import datetime

    from awards import services as award_services
    from awards.models import Decision

    decision = Decision.objects.filter(number="1450/QĐ-UBND").first()
    if decision is None:
        return 0
    staff = User.objects.get(email="canbo.caobang@cnnt.demo")
    issued = award_services.certificates_issue_for_decision(
        decision=decision, actor=staff, issued_on=datetime.date(2024, 11, 5)
    )
    return len(issued)
