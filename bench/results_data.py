"""The data of bench/bench_results.py, made once in the bench database and reused (BENCH_FRESH=1 in run.sh starts
from scratch): the scored province rounds of 500 and 50 dossiers and the round of 30 members scoring at once, with
each member's scores and the check that none of them was lost (bench/results_load.py makes the submissions, through
gunicorn; see bench_results.py's docstring).
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from awards import services
from awards.aggregation import aggregate
from awards.enums import ConflictReason, CouncilRole, NominationStatus, PhaseKind, RoundStatus, SheetStatus
from awards.models import (
    Conflict,
    Council,
    CouncilMember,
    CriteriaSheet,
    Criterion,
    Level,
    Nomination,
    Programme,
    Round,
    Score,
    ScoreSheet,
)
from awards.selectors import round_results
from bench import common
from bench.common import PROVINCE
from portal.accounts.enums import Role
from portal.accounts.models import User
from products.models import Product

SIZES = (500, 50)  # dossiers per scored round; the first is the round at scale
JURY = 9
CONCURRENT_MEMBERS = 30
CONFLICT_EVERY = 50  # one dossier in 50 has a conflict declared after its sheets were submitted
TITLE = "Bình chọn SPCNNT tiêu biểu cấp tỉnh {province} — đo kiểm chấm điểm {size} hồ sơ"  # no year: reused
CONCURRENCY_TITLE = "Bình chọn SPCNNT tiêu biểu cấp tỉnh {province} — đo kiểm {n} thành viên chấm đồng thời"
HALF = Decimal("0.5")
TWO_PLACES = Decimal("0.01")


# -- the scored rounds ------------------------------------------------------------------------------------------
def member_user(key, name):
    user, _ = User.objects.get_or_create(
        email=f"bench.{key}@cnnt.bench", defaults={"full_name": name, "role": Role.MEMBER, "email_verified": True}
    )
    return user


def pick_products(province, count):
    """`count` generated products of the province, of distinct producers, none nominated in any round yet."""
    nominated = Nomination.objects.filter(product=OuterRef("pk"))
    seen, picked = set(), []
    for pk, producer_id in (
        Product.objects.filter(is_generated=True, producer__current_province=province)
        .exclude(Exists(nominated))
        .order_by("id")
        .values_list("pk", "producer_id")
        .iterator()
    ):
        if producer_id not in seen:
            seen.add(producer_id)
            picked.append(pk)
            if len(picked) == count:
                break
    if len(picked) < count:
        raise SystemExit(f"Only {len(picked)} products of {province} to nominate; run generate_scale first.")
    products = Product.objects.select_related("producer", "group").in_bulk(picked)
    return [products[pk] for pk in picked]


def new_round(title, province, org, actor, today):
    round_ = services.round_create(
        programme=Programme.objects.get(code="spcnnttb"),
        phases={
            PhaseKind.REGISTRATION: (today - datetime.timedelta(days=60), today - datetime.timedelta(days=31)),
            PhaseKind.SCREENING: (today - datetime.timedelta(days=30), today - datetime.timedelta(days=16)),
            PhaseKind.SCORING: (today - datetime.timedelta(days=15), today + datetime.timedelta(days=15)),
        },
        level=Level.objects.get(programme__code="spcnnttb", code="province"),
        year=today.year,
        title=title,
        province=province,
        organiser=org,
    )
    services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=actor)
    return round_


def accepted_nominations(round_, products, tag, province):
    """Accepted dossiers of `products`, receipt codes <tag>-<province>-<n>."""
    now = timezone.now()
    short = province.short_code or province.code
    return Nomination.objects.bulk_create(
        Nomination(
            round=round_,
            product=product,
            producer=product.producer,
            status=NominationStatus.ACCEPTED,
            receipt_code=f"{tag}-{short}-{i + 1:04d}",
            annual_output=f"{(i % 40 + 1) * 500} sản phẩm/năm",
            annual_revenue=(i % 50 + 5) * 100_000_000,
            workers=i % 30 + 3,
            materials="Nguyên liệu tại địa phương",
            markets="Trong tỉnh, các tỉnh lân cận, sàn thương mại điện tử",
            highlights="Sản phẩm truyền thống của địa phương, mẫu mã đặc trưng, thân thiện môi trường.",
            declaration_accepted=True,
            submitted_at=now - datetime.timedelta(days=40 + i % 20, minutes=i),
            version=1,
            missing_count=0,
        )
        for i, product in enumerate(products)
    )


def new_council(round_, actor, jury_users, secretary=None):
    council = services.council_create(
        round_=round_,
        actor=actor,
        name=f"Hội đồng bình chọn — {round_.title}",
        decision_number="88/QĐ-SCT",
        decision_date=timezone.localdate() - datetime.timedelta(days=20),
        signer="Giám đốc Sở Công Thương",
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4", version=1),
    )
    roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR] + [CouncilRole.MEMBER] * (len(jury_users) - 2)
    members = [
        services.council_member_add(council=council, user=user, actor=actor, role=role, organization="Sở Công Thương")
        for user, role in zip(jury_users, roles, strict=True)
    ]
    if secretary is not None:
        services.council_member_add(
            council=council, user=secretary, actor=actor, role=CouncilRole.SECRETARY, is_jury=False
        )
    return council, members


def leaf_criteria(council):
    return list(
        Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True)
        .select_related("parent")
        .order_by("order")
    )


def sheet_points(rng, leaves, quality, bias):
    """Ten scores within their maxima in 0.5-point steps."""
    points = []
    for leaf in leaves:
        share = min(1.0, max(0.0, quality + bias + rng.uniform(-0.08, 0.08)))
        value = (leaf.max_points * Decimal(str(share)) / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF
        points.append(min(value, leaf.max_points))
    return points


def fill_sheets(council, members, nominations, officer, seed):
    """A submitted first-pass sheet of every jury member for every dossier, then the conflicts."""
    rng = random.Random(seed)  # noqa: S311 (bench data, not security)
    leaves = leaf_criteria(council)
    biases = [rng.uniform(-0.06, 0.06) for _m in members]
    now = timezone.now()
    sheets, points = [], []
    for i, n in enumerate(nominations):
        quality = rng.uniform(0.5, 0.93)
        for j, member in enumerate(members):
            bias = biases[j] - (0.3 if (i + j) % 41 == 0 else 0)  # now and then a member far below the others
            values = sheet_points(rng, leaves, quality, bias)
            sheets.append(
                ScoreSheet(
                    nomination=n,
                    member=member,
                    pass_no=1,
                    status=SheetStatus.SUBMITTED,
                    comment="Hồ sơ đầy đủ, sản phẩm có tính đặc trưng." if (i + j) % 7 == 0 else "",
                    total=sum(values, Decimal(0)),
                    submitted_at=now - datetime.timedelta(days=10, minutes=i * JURY + j),
                )
            )
            points.append(values)
    sheets = ScoreSheet.objects.bulk_create(sheets, batch_size=2000)
    Score.objects.bulk_create(
        (
            Score(sheet=sheet, criterion=leaf, points=value)
            for sheet, values in zip(sheets, points, strict=True)
            for leaf, value in zip(leaves, values, strict=True)
        ),
        batch_size=5000,
    )
    for i, n in enumerate(nominations[::CONFLICT_EVERY]):
        services.conflict_declare(
            member=members[i % len(members)],
            nomination=n,
            reason=ConflictReason.SAME_COMMUNE,
            actor=officer,
            note="Khai báo sau khi đã chấm (đo kiểm).",
        )


def check_round(round_, size):
    """The counts, every total equal to the sum of its scores, and the ranking of a sample recomputed."""
    sheets = ScoreSheet.objects.filter(nomination__round=round_)
    counts = (
        round_.nominations.filter(status=NominationStatus.ACCEPTED).count(),
        sheets.filter(status=SheetStatus.SUBMITTED).count(),
        Score.objects.filter(sheet__nomination__round=round_).count(),
    )
    if counts != (size, size * JURY, size * JURY * 10):
        raise SystemExit(f"Round #{round_.pk}: {counts} dossiers, sheets, scores (BENCH_FRESH=1 to rebuild).")
    wrong = (
        sheets.annotate(summed=Sum("scores__points"), n=Count("scores"))
        .filter(~Q(total=F("summed")) | ~Q(n=10))
        .count()
    )
    if wrong:
        raise SystemExit(f"Round #{round_.pk}: {wrong} sheets whose total is not the sum of their 10 scores.")
    conflicts = set(Conflict.objects.filter(member__council__round=round_).values_list("member_id", "nomination_id"))
    rows = round_results(round_)
    for row in rows[:: max(1, size // 25)]:
        n = row.nomination
        totals = {s.member_id: s.total for s in sheets.filter(nomination=n) if (s.member_id, n.pk) not in conflicts}
        expected = aggregate(totals)
        if (row.result.count, row.result.mean) != (expected.count, expected.mean):
            raise SystemExit(f"{n.receipt_code}: round_results gives {row.result}, the rows {expected}")
    return len(conflicts), sum(1 for r in rows if r.passes), sum(len(r.result.outliers) for r in rows)


def scored_rounds(province, org, superuser, officer):
    """The rounds of 500 and 50 scored dossiers (made once, then reused)."""
    today = timezone.localdate()
    jury = [member_user(f"member{j + 1}", f"Bench thành viên {j + 1}") for j in range(JURY)]
    secretary = member_user("secretary", "Bench thư ký")
    wanted = pick_products(province, sum(SIZES)) if not all(_find(TITLE, province, size) for size in SIZES) else []
    rounds, start, made = {}, 0, False
    for size in SIZES:
        round_ = _find(TITLE, province, size)
        if round_ is None:
            products, start = wanted[start : start + size], start + size
            with transaction.atomic():
                round_ = new_round(TITLE.format(province=PROVINCE, size=size), province, org, officer, today)
                council, members = new_council(round_, officer, jury, secretary)
                nominations = accepted_nominations(round_, products, f"KQ{size}", province)
                fill_sheets(council, members, nominations, officer, seed=size)
            made = True
        rounds[size] = round_
    if made:  # as a settled database has them (fresh statistics, so the plans are the ones it gets)
        common.settle(Nomination, ScoreSheet, Score, Conflict, CouncilMember)
    return rounds


def _find(title, province, size):
    return Round.objects.filter(title=title.format(province=PROVINCE, size=size), province=province).first()


# -- 30 members at once ---------------------------------------------------------------------------------
def concurrency_round(province, org, officer):
    today = timezone.localdate()
    title = CONCURRENCY_TITLE.format(province=PROVINCE, n=CONCURRENT_MEMBERS)
    round_ = Round.objects.filter(title=title, province=province).first()
    if round_ is None:
        with transaction.atomic():
            round_ = new_round(title, province, org, officer, today)
            users = [
                member_user(f"concurrent{j + 1}", f"Bench thành viên chấm đồng thời {j + 1}")
                for j in range(CONCURRENT_MEMBERS)
            ]
            new_council(round_, officer, users)
            accepted_nominations(round_, pick_products(province, 1), "KQ30", province)
    council = Council.objects.select_related("criteria_sheet").get(round=round_)
    members = list(council.members.filter(is_jury=True).select_related("council__round", "user").order_by("pk"))
    nomination = round_.nominations.select_related("product").get()
    return round_, council, members, nomination


def member_values(i, leaves):
    """Member i's ten scores: its own total (the first score drops by 0.5 a member, the last runs 0..5)."""
    values = [leaf.max_points - (2 if k else 0) for k, leaf in enumerate(leaves)]
    values[0] -= HALF * i
    values[-1] = Decimal(i % 6)
    return values


def lost_updates(round_, members, nomination, leaves, expected):
    """Sheets missing, not submitted, with another total or without their own ten scores; at least 1 when
    round_results() does not give the mean of the 30 totals."""
    sheets = {s.member_id: s for s in ScoreSheet.objects.filter(nomination=nomination).prefetch_related("scores")}
    lost = 0
    for member in members:
        sheet = sheets.get(member.pk)
        want = dict(zip((leaf.pk for leaf in leaves), expected[member.pk], strict=True))
        if (
            sheet is None
            or sheet.status != SheetStatus.SUBMITTED
            or sheet.total != sum(want.values())
            or {s.criterion_id: s.points for s in sheet.scores.all()} != want
        ):
            lost += 1
    (row,) = round_results(round_)
    mean = (sum(sum(v) for v in expected.values()) / len(members)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if row.result.count != len(members) - lost or (not lost and row.result.mean != mean):
        lost = max(lost, 1)
    return lost
