"""Load the demo data set: organisations, one account per role, the producers and products named in the
published provincial reports, and generated records. Idempotent: a second run changes nothing."""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.accounts.roles import ensure_staff_group
from portal.core.workflow import SYSTEM
from portal.demo import registry as data
from products import services
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Producer, Product, ProductGroup

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (published demo password, printed by the command)

ORGANIZATIONS = [
    # name, kind, today's province (None: ministry)
    ("Sở Công Thương tỉnh Cao Bằng", OrganizationKind.DEPARTMENT, "Cao Bằng"),
    ("Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Cao Bằng", OrganizationKind.EXTENSION_CENTRE, "Cao Bằng"),
    ("Ủy ban nhân dân tỉnh Cao Bằng", OrganizationKind.PEOPLES_COMMITTEE, "Cao Bằng"),
    ("Sở Công Thương tỉnh Cà Mau", OrganizationKind.DEPARTMENT, "Cà Mau"),
    ("Ủy ban nhân dân tỉnh Cà Mau", OrganizationKind.PEOPLES_COMMITTEE, "Cà Mau"),
    ("Sở Công Thương tỉnh Đắk Lắk", OrganizationKind.DEPARTMENT, "Đắk Lắk"),
    ("Trung tâm Khuyến công tỉnh Đắk Lắk", OrganizationKind.EXTENSION_CENTRE, "Đắk Lắk"),
    ("Sở Công Thương tỉnh Đồng Tháp", OrganizationKind.DEPARTMENT, "Đồng Tháp"),
    ("Sở Công Thương tỉnh Tuyên Quang", OrganizationKind.DEPARTMENT, "Tuyên Quang"),
    ("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)", OrganizationKind.MINISTRY_AGENCY, None),
    ("Cục Công Thương địa phương (Bộ Công Thương)", OrganizationKind.MINISTRY_AGENCY, None),
]

ACCOUNTS = [
    # e-mail, full name, role, organisation, producer key, superuser
    ("quantri@cnnt.demo", "Quản trị hệ thống", Role.STAFF, None, None, True),
    ("canbo.caobang@cnnt.demo", "Hoàng Thị Lan", Role.STAFF, "Sở Công Thương tỉnh Cao Bằng", None, False),
    ("canbo.camau@cnnt.demo", "Trần Minh Khoa", Role.STAFF, "Sở Công Thương tỉnh Cà Mau", None, False),
    ("canbo.daklak@cnnt.demo", "Y Bhim Niê", Role.STAFF, "Sở Công Thương tỉnh Đắk Lắk", None, False),
    ("canbo.dongthap@cnnt.demo", "Lê Thị Hồng", Role.STAFF, "Sở Công Thương tỉnh Đồng Tháp", None, False),
    ("bo@cnnt.demo", "Vũ Thị Thu Hà", Role.MINISTRY, "Cục Công Thương địa phương (Bộ Công Thương)", None, False),
    ("hoidong@cnnt.demo", "Phạm Đức Minh", Role.MEMBER, "Sở Công Thương tỉnh Cao Bằng", None, False),
    ("htx.tamhoa@cnnt.demo", "Nguyễn Thanh Tâm", Role.PRODUCER, None, "tam-hoa", False),
    ("cty688@cnnt.demo", "Nguyễn Quang Quyền", Role.PRODUCER, None, "cty-688", False),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print one login per role."

    def handle(self, *args, **options):
        # Demo records are not real people: nothing they trigger is e-mailed.
        # (override_settings rather than assignment: a test that runs the command keeps its own mail backend after.)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            created = self.load()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready: " + ", ".join(f"{n} {k} created" for k, n in created.items()))
        )
        self.print_logins()

    def load(self) -> dict:
        created = {"organisations": 0, "accounts": 0, "producers": 0, "products": 0, "photos": 0}
        ensure_staff_group()
        provinces_today = {u.name: u for u in AdministrativeUnit.objects.filter(level="province", is_current=True)}
        for name, kind, province in ORGANIZATIONS:
            _org, was_created = Organization.objects.get_or_create(
                name=name, defaults={"kind": kind, "province": provinces_today.get(province) if province else None}
            )
            created["organisations"] += was_created

        groups = {g.code: g for g in ProductGroup.objects.all()}
        named = self.load_named(groups, created)
        self.load_generated(groups, created)
        self.load_accounts(named, created)
        created["rounds"] = self.load_rounds()
        created["nominations"] = self.load_nominations()
        created["council members"] = self.load_council()
        created["closed rounds"] = self.load_closed_round()
        created["recognitions"] = self.load_recognitions()
        created["certificates"] = self.load_certificates()
        from portal.demo import published_figures, targets

        created.update(published_figures.load())
        created.update(targets.load())
        return created

    def load_certificates(self) -> int:
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

    # -- a finished round: scored, decision published, products recognised or not --------------------------
    def load_closed_round(self) -> int:
        import datetime

        from awards import services as award_services
        from awards.enums import ConflictReason, CouncilRole, RoundStatus
        from awards.models import CriteriaSheet, Criterion, Level, Programme, Round

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
        products = list(
            Product.objects.filter(producer__current_province=cao_bang, is_generated=True).order_by("id")[6:9]
        )
        nominations = []
        for product in products:
            self.dossier_on_file(product)
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

    # -- published results: recognitions recorded from the provinces' archives ------------------------------
    def load_recognitions(self) -> int:
        """The published totals of DOMAIN §6 per province as recorded: the named products' recognitions, then
        generated products (by id) up to each level's total, counting those the portal's decisions already made.
        Written with bulk_create (hundreds of rows); skipped when the archive rows exist."""
        from awards.enums import RecognitionSource
        from awards.models import Level, Programme, Recognition

        if Recognition.objects.filter(source=RecognitionSource.ARCHIVE, recorded_by__isnull=True).exists():
            return 0
        programme = Programme.objects.get(code="spcnnttb")
        levels = {level.code: level for level in Level.objects.filter(programme=programme)}
        tax_codes = {row[0]: row[7] for row in data.NAMED_PRODUCERS}
        named_by_province = {}
        for key, product_name, chain in data.NAMED_RECOGNITIONS:
            product = Product.objects.select_related("producer__province").get(
                producer__tax_code=tax_codes[key], name=product_name
            )
            named_by_province.setdefault(product.producer.province.name, []).append((product, chain))
        rows = []
        for province_name, plan in data.PUBLISHED_RECOGNITIONS.items():
            old = self.old_province(province_name)
            chains = named_by_province.get(province_name, []) + self.generated_chains(old, plan, named_by_province)
            for product, chain in chains:
                rows += [self.archive_recognition(programme, product, levels[code], year) for code, year in chain]
        Recognition.objects.bulk_create(rows)
        return len(rows)

    def generated_chains(self, old, plan, named_by_province) -> list:
        """(product, [(level code, year), ...]) for generated products of an old province: the first products by
        id reach the highest levels; years rise along each chain and spread over the level's rounds."""
        from awards.models import Recognition

        codes = list(plan)  # lowest level first
        named = [chain for _product, chain in named_by_province.get(old.name, [])]
        remaining = []
        for code in codes:
            done = Recognition.objects.filter(product__producer__province=old, level__code=code).count()
            remaining.append(plan[code][0] - done - sum(1 for chain in named for c, _y in chain if c == code))
        if any(n < 0 for n in remaining) or remaining != sorted(remaining, reverse=True):
            raise CommandError(f"{old.name}: the published counts do not form a chain: {remaining}")
        pool = list(
            Product.objects.filter(producer__province=old, is_generated=True, recognitions__isnull=True)
            .exclude(nominations__isnull=False)
            .order_by("id")[: remaining[0]]
        )
        if len(pool) < remaining[0]:
            raise CommandError(f"{old.name}: {len(pool)} generated products for {remaining[0]} recognitions.")
        # feasible[j]: the round years of level j reachable through earlier rounds of every level below.
        feasible = [sorted(plan[codes[0]][1])]
        for code in codes[1:]:
            feasible.append([y for y in sorted(plan[code][1]) if feasible[-1] and feasible[-1][0] < y])
        turns = [0] * len(codes)
        chains = []
        for i, product in enumerate(pool):
            top = max(j for j, n in enumerate(remaining) if i < n)
            year = feasible[top][turns[top] % len(feasible[top])]
            turns[top] += 1
            chain = [(codes[top], year)]
            for j in range(top - 1, -1, -1):
                earlier = [y for y in feasible[j] if y < year]
                # The lower certificate is still valid (issued at most 3 years before) where a round allows it.
                window = [y for y in earlier if y >= year - 3] or earlier
                year = window[i % len(window)]
                chain.insert(0, (codes[j], year))
            chains.append((product, chain))
        return chains

    def archive_recognition(self, programme, product, level, year):
        import datetime

        from awards.enums import RecognitionSource
        from awards.models import Recognition
        from awards.services import certificate_valid_until

        area = product.producer.unit_id if level.code == "district" else product.producer.province_id
        key = (level.code, year) if level.code in ("region", "national") else (level.code, year, area)
        rng = random.Random("cnnt-decision-" + "-".join(map(str, key)))
        month = {"district": 9, "province": 10, "region": 11, "national": 12}[level.code]
        decided = datetime.date(year, month, rng.randint(2, 28))
        number = data.KNOWN_DECISIONS.get((level.code, year)) or (
            f"{rng.randint(120, 2900)}/{data.DECISION_SUFFIX[level.code]}"
        )
        return Recognition(
            product=product,
            level=level,
            year=year,
            decision_number=number,
            decision_date=decided,
            valid_until=certificate_valid_until(programme, decided),
            source=RecognitionSource.ARCHIVE,
            recorded_by=None,
        )

    # -- the council of the open Cao Bằng round, with sheets on the accepted dossier -------------------------
    def load_council(self) -> int:
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
            leaves = list(
                Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order")
            )
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

    # -- nominations in every screening state -------------------------------------------------------------
    def load_nominations(self) -> int:
        from awards import services as award_services
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
        today = timezone.localdate()
        for product, actor, target in plan:
            self.dossier_on_file(product)
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
                continue
            award_services.nomination_submit(nomination=nomination, actor=actor)
            if target == NominationStatus.SUBMITTED:
                continue
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
                    award_services.nomination_update_form(
                        nomination=nomination, actor=staff, annual_output="12 tấn năm 2025"
                    )
                    award_services.nomination_submit(nomination=nomination, actor=staff)
            elif target == NominationStatus.ACCEPTED:
                award_services.nomination_accept(nomination=nomination, actor=staff, note="Hồ sơ đầy đủ.")
            elif target == NominationStatus.REJECTED:
                award_services.nomination_reject(
                    nomination=nomination, actor=staff, reason="Sản phẩm chưa sản xuất hàng loạt."
                )
        return len(plan)

    def dossier_on_file(self, product):
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

    # -- award rounds ------------------------------------------------------------------------------------
    def load_rounds(self) -> int:
        """An open province round of Cao Bằng (registration runs around today) and a draft commune round."""
        from awards import services as award_services
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
                    "scoring": (today + timedelta(days=41), today + timedelta(days=55)),
                    "results": (today + timedelta(days=56), today + timedelta(days=70)),
                },
            )
            award_services.round_set_status(
                round_=province_round, to=RoundStatus.PUBLISHED, actor=SYSTEM, note="Dữ liệu mẫu"
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

    # -- producers and products -------------------------------------------------------------------------
    def old_province(self, name):
        return AdministrativeUnit.objects.get(level="province", is_current=False, name=name)

    def load_named(self, groups, created) -> dict:
        producers = {}
        for key, name, kind, province, district, rep, title, tax_code, products in data.NAMED_PRODUCERS:
            producer = Producer.objects.filter(tax_code=tax_code).first()
            if producer is None:
                old = self.old_province(province)
                unit = old.children.filter(name=district).order_by("code").first() if district else None
                producer = services.producer_create(
                    name=name,
                    kind=kind,
                    tax_code=tax_code,
                    legal_representative=rep,
                    representative_title=title,
                    address="",
                    province=old,
                    unit=unit,
                )
                created["producers"] += 1
            producers[key] = producer
            existing = set(producer.products.values_list("name", flat=True))
            for product_name, group_code, description in products:
                if product_name in existing:
                    continue
                product = services.product_create(
                    producer=producer, name=product_name, group=groups[group_code], description=description
                )
                created["products"] += 1
                for i in range(3):
                    services.photo_add(product=product, image=demo_photo(product_name, i))
                    created["photos"] += 1
        return producers

    def load_generated(self, groups, created):
        existing_tax = set(Producer.objects.filter(is_generated=True).values_list("tax_code", flat=True))
        for province_name, (prefix, target) in data.GENERATED_PRODUCTS.items():
            rng = random.Random(f"cnnt-demo-{province_name}")
            old = self.old_province(province_name)
            districts = list(old.children.order_by("code"))
            made, seq = 0, 0
            while made < target:
                seq += 1
                count = rng.choice([1, 1, 2, 2, 3])
                district = rng.choice(districts)
                group_codes = [
                    rng.choices([g for g, _ in data.GROUP_WEIGHTS], [w for _, w in data.GROUP_WEIGHTS])[0]
                    for _ in range(count)
                ]
                words = [rng.choice(data.PRODUCT_WORDS[g]) for g in group_codes]
                kind, name, rep = self.generated_identity(rng, words[0], district)
                tax_code = f"{prefix}{99000000 + seq:08d}"
                products = [
                    (f"{word} {district.name}" if i == 0 else f"{word} {rep.split()[-1]} {district.name}", g)
                    for i, (word, g) in enumerate(zip(words, group_codes, strict=True))
                ]
                # Draw every random value before deciding to skip, so reruns walk the same sequence.
                address, founded, workers = f"Thôn {rng.randint(1, 12)}", rng.randint(1995, 2020), rng.randint(3, 80)
                made += len(products)
                if tax_code in existing_tax:
                    continue
                producer = services.producer_create(
                    name=name,
                    kind=kind,
                    tax_code=tax_code,
                    legal_representative=rep,
                    representative_title="Chủ cơ sở" if kind == "household" else "Giám đốc",
                    address=address,
                    province=old,
                    unit=district,
                    founding_year=founded,
                    workers=workers,
                    is_generated=True,
                )
                created["producers"] += 1
                seen = set()
                for product_name, group_code in products:
                    if product_name in seen:
                        product_name = f"{product_name} ({len(seen) + 1})"
                    seen.add(product_name)
                    services.product_create(
                        producer=producer, name=product_name, group=groups[group_code], is_generated=True
                    )
                    created["products"] += 1

    @staticmethod
    def generated_identity(rng, word, district):
        rep = f"{rng.choice(data.FAMILY_NAMES)} {rng.choice(data.MIDDLE_NAMES)} {rng.choice(data.GIVEN_NAMES)}"
        kind = rng.choices(["household", "cooperative", "enterprise", "cooperative_group"], [40, 30, 25, 5])[0]
        place = district.name
        names = {
            "household": f"Cơ sở {word} {rep}",
            "cooperative": f"Hợp tác xã {word} {place}",
            "enterprise": f"Công ty TNHH {rng.choice(data.ENTERPRISE_WORDS)} {place}",
            "cooperative_group": f"Tổ hợp tác {word} {place}",
        }
        return kind, names[kind], rep

    # -- accounts ----------------------------------------------------------------------------------------
    def load_accounts(self, producers, created):
        staff_group = ensure_staff_group()
        for email, full_name, role, org_name, producer_key, is_superuser in ACCOUNTS:
            if User.objects.filter(email=email).exists():
                continue
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                role=role,
                email_verified=True,
                organization=Organization.objects.get(name=org_name) if org_name else None,
                producer=producers[producer_key] if producer_key else None,
                is_staff=role == Role.STAFF,
                is_superuser=is_superuser,
            )
            if role == Role.STAFF and not is_superuser:
                user.groups.add(staff_group)
            created["accounts"] += 1

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        labels = {True: "superuser (all provinces)"}
        for email, full_name, role, org_name, producer_key, is_superuser in ACCOUNTS:
            label = (
                labels.get(is_superuser)
                or {
                    Role.STAFF: f"department staff, {org_name}",
                    Role.MEMBER: "council member",
                    Role.MINISTRY: "ministry official (reads every province)",
                    Role.PRODUCER: f"producer account ({producer_key})",
                }[role]
            )
            self.stdout.write(f"  {email:<28} {full_name:<22} {label}")
        self.stdout.write(f"  {'thanhvien1..6@cnnt.demo':<28} {'':<22} council members (Cao Bằng councils)")


def demo_pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned certificate: well-formed, as the upload check requires."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def demo_photo(title: str, index: int) -> SimpleUploadedFile:
    """A simple, recognisable picture for a demo product (no stock photos are shipped)."""
    import fontpkg_be_vietnam_pro

    palette = [(179, 38, 30), (30, 122, 69), (11, 87, 164), (138, 90, 0)]
    img = Image.new("RGB", (800, 600), palette[index % len(palette)])
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(fontpkg_be_vietnam_pro.ROOT / "files" / "BeVietnamPro-Bold.ttf"), 44)
    draw.rectangle((40, 40, 760, 560), outline=(242, 201, 76), width=8)
    draw.multiline_text((80, 240), f"{title}\nẢnh {index + 1}/3", font=font, fill=(255, 255, 255), spacing=12)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile(f"{title}-{index + 1}.jpg", buf.getvalue(), content_type="image/jpeg")
