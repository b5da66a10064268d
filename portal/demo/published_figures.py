"""Demo data: the khuyến công, fair and OCOP figures the provinces published (DOMAIN §6), reproduced exactly.

Where a report gives only a total, the total is split over plausible projects deterministically (integer VND,
the last share takes the remainder, so sums are exact). Every record made here is flagged `is_generated`;
what the sources do not give (project titles, the years inside a period, beneficiaries, the split of money
between activity types) is an assumption, said in the comments below, and in `data_quality_note` where a
reader of the portal could take it for sourced.

Called by `manage.py load_demo`; idempotent (skips a province whose projects exist)."""

import datetime
import random
from dataclasses import dataclass, field

from extension_projects.enums import FairLevel, FundingSource, ProjectStatus
from extension_projects.models import ActivityType, Fair, FairParticipation, Project, ProjectFunding, ProjectStatusLog
from products.models import AdministrativeUnit, Producer

MILLION = 1_000_000

SPLIT_2022_NOTE = (
    "Báo cáo của tỉnh ghi năm 2022 có 9 đề án, tổng kinh phí 1.075 triệu đồng (7 KCĐP, 2 KCQG), nhưng phần "
    "phân theo nguồn lại ghi 850 triệu + 900 triệu = 1.750 triệu, không khớp tổng. Giữ tổng 1.075 triệu; "
    "phân bổ cho từng đề án là giả định."
)


def split(total: int, weights: list[float], unit: int = MILLION) -> list[int]:
    """Split an integer total in proportion to `weights`, rounded down to `unit`, the last share taking the rest:
    the parts always add up to the total exactly."""
    scale = sum(weights)
    parts = [int(total * w / scale) // unit * unit for w in weights[:-1]]
    return [*parts, total - sum(parts)]


@dataclass
class Batch:
    """Projects of one province, activity type and funding source, spread over some years."""

    letter: str
    activity: str
    source: str
    years: list[int]
    count: int
    total: int
    counterpart_total: int = 0
    outputs: dict = field(default_factory=dict)  # output field -> total over the batch
    beneficiaries: list[int] | None = None  # establishments per project (default 1)
    note: str = ""


TITLES = {
    "vocational-training": "Đào tạo nghề, truyền nghề {craft} tại {place}",
    "management-training": "Tập huấn nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn tại {place}",
    "equipment": "Hỗ trợ ứng dụng máy móc, thiết bị tiên tiến trong {craft} tại {place}",
    "trademark": "Hỗ trợ xây dựng, đăng ký thương hiệu sản phẩm {craft} tại {place}",
    "trade-promotion": "Hỗ trợ cơ sở công nghiệp nông thôn tham gia hội chợ, triển lãm năm {year}",
    "consultancy": "Tư vấn phát triển sản phẩm {craft} tại {place}",
}
CRAFTS = [
    "chế biến nông sản",
    "sản xuất miến dong",
    "chế biến thịt hun khói",
    "dệt thổ cẩm",
    "đan lát mây tre",
    "chế biến thủy sản",
    "sản xuất bánh phồng tôm",
    "chế biến cà phê",
    "chế biến hạt mắc ca",
    "cơ khí nông nghiệp",
    "sản xuất đồ gỗ",
    "chế biến chè",
]
NO_BENEFICIARY = {"management-training", "vocational-training", "trade-promotion"}


def old_province(name: str) -> AdministrativeUnit:
    """The province as it was (the published figures are the old provinces')."""
    return AdministrativeUnit.objects.filter(level="province", name=name).order_by("is_current").first()


def _project(batch, code_prefix, serial, year, province, province_name, district, types, establishments) -> Project:
    """One settled project of a batch (its outputs are set by the caller)."""
    title = TITLES[batch.activity].format(
        craft=CRAFTS[(serial * 5) % len(CRAFTS)], place=district.name if district else province_name, year=year
    )
    day = 1 + serial % 27
    return Project(
        code=f"{code_prefix}-{year}-{batch.letter}{serial:03d}",
        title=title,
        activity_type=types[batch.activity],
        plan_year=year,
        province=province,
        current_province_id=province.today_province_id,
        unit=district,
        implementer=f"Trung tâm Khuyến công tỉnh {province_name}",
        beneficiary_count=None if batch.activity in NO_BENEFICIARY else establishments,
        approval_number=f"{100 + serial}/QĐ-{'BCT' if batch.source == FundingSource.NATIONAL else 'SCT'}",
        approval_date=datetime.date(year, 3, day),
        contract_number=f"{serial:02d}/{year}/HĐ-KC",
        contract_date=datetime.date(year, 4, day),
        status=ProjectStatus.SETTLED,
        accepted_on=datetime.date(year, 11, day),
        acceptance_committee="Hội đồng nghiệm thu đề án khuyến công",
        settled_on=datetime.date(year, 12, day),
        data_quality_note=batch.note,
        is_generated=True,
    )


def load_projects(province_name: str, code_prefix: str, batches: list[Batch]) -> int:
    province = old_province(province_name)
    if Project.objects.filter(code__startswith=f"{code_prefix}-", is_generated=True).exists():
        return 0
    types = {t.code: t for t in ActivityType.objects.all()}
    districts = list(province.children.order_by("code")) or [None]
    producers = list(Producer.objects.filter(province=province).order_by("id"))
    rng = random.Random(f"cnnt-extension-{code_prefix}")  # noqa: S311 (reproducible demo data, not secrets)
    projects, fundings, links, serial = [], [], [], 0
    for batch in batches:
        weights = [rng.uniform(0.6, 1.4) for _ in range(batch.count)]
        amounts = split(batch.total, weights)
        counterparts = split(batch.counterpart_total, weights) if batch.counterpart_total else [0] * batch.count
        outputs = {name: split(total, weights, unit=1) for name, total in batch.outputs.items()}
        establishments = batch.beneficiaries or [1] * batch.count
        for i in range(batch.count):
            serial += 1
            year = batch.years[i % len(batch.years)]
            district = districts[(serial * 7) % len(districts)]
            project = _project(
                batch, code_prefix, serial, year, province, province_name, district, types, establishments[i]
            )
            for name, values in outputs.items():
                setattr(project, name, values[i])
            projects.append(project)
            fundings.append((project, batch.source, amounts[i]))
            if counterparts[i]:
                fundings.append((project, FundingSource.COUNTERPART, counterparts[i]))
            if producers and batch.activity not in NO_BENEFICIARY:
                links.append((project, producers[(serial * 3) % len(producers)]))
    Project.objects.bulk_create(projects)
    ProjectFunding.objects.bulk_create(
        [ProjectFunding(project=p, source=s, approved=a, actual=a) for p, s, a in fundings]
    )
    ProjectStatusLog.objects.bulk_create(
        [ProjectStatusLog(project=p, to_status=ProjectStatus.SETTLED, note="Dữ liệu lịch sử") for p in projects]
    )
    through = Project.beneficiaries.through
    through.objects.bulk_create([through(project_id=p.pk, producer_id=producer.pk) for p, producer in links])
    return len(projects)


def cao_bang_projects() -> int:
    # 2018–2022: 44 projects, 12.31 billion (24 local, 20 national); 2022 alone: 9 projects, 1.075 billion
    # (7 local, 2 national). So 2018–2021: 35 projects (17 local, 18 national), 11.235 billion. How the money
    # splits between sources and activity types is not published: assumption.
    local_2022, national_2022 = split(1_075 * MILLION, [7.0, 3.2])
    local_before, national_before = split(11_235 * MILLION, [17.0, 23.4])
    local_equipment = split(local_before, [12.0, 3.0])
    national_equipment = split(national_before, [14.0, 2.5])
    years = [2018, 2019, 2020, 2021]
    return load_projects(
        "Cao Bằng",
        "CB",
        [
            Batch("L", "equipment", FundingSource.LOCAL, years, 12, local_equipment[0]),
            Batch("L", "trademark", FundingSource.LOCAL, years, 5, local_equipment[1], outputs={"trademarks": 5}),
            Batch("N", "equipment", FundingSource.NATIONAL, years, 14, national_equipment[0], outputs={"machines": 19}),
            Batch(
                "N",
                "vocational-training",
                FundingSource.NATIONAL,
                years,
                4,
                national_equipment[1],
                outputs={"trainees": 140, "workers_trained": 140, "courses": 4},
            ),
            Batch("L", "equipment", FundingSource.LOCAL, [2022], 7, local_2022, note=SPLIT_2022_NOTE),
            Batch("N", "equipment", FundingSource.NATIONAL, [2022], 2, national_2022, note=SPLIT_2022_NOTE),
        ],
    )


def ca_mau_projects() -> int:
    # 19.51 billion (4.55 national, 14.96 local), 205 billion of private investment attracted, 1,759 jobs. No
    # period or project count is published: 2020–2024 and 48 projects are assumptions.
    years = [2020, 2021, 2022, 2023, 2024]
    return load_projects(
        "Cà Mau",
        "CM",
        [
            Batch(
                "N",
                "equipment",
                FundingSource.NATIONAL,
                years,
                10,
                4_550 * MILLION,
                outputs={"jobs_created": 512, "private_investment": 71_000 * MILLION, "machines": 24},
            ),
            Batch(
                "L",
                "equipment",
                FundingSource.LOCAL,
                years,
                30,
                12_460 * MILLION,
                outputs={"jobs_created": 1_106, "private_investment": 128_500 * MILLION, "machines": 61},
            ),
            Batch(
                "L",
                "trademark",
                FundingSource.LOCAL,
                years,
                8,
                2_500 * MILLION,
                outputs={"jobs_created": 141, "private_investment": 5_500 * MILLION, "trademarks": 8},
            ),
        ],
    )


def dong_thap_projects() -> int:
    # 2012–2021: 58 equipment projects for 69 establishments, "over 11 billion" (11.236 billion here, an
    # assumption above the published floor); 11 projects supported two establishments each.
    return load_projects(
        "Đồng Tháp",
        "DT",
        [
            Batch(
                "L",
                "equipment",
                FundingSource.LOCAL,
                list(range(2012, 2022)),
                58,
                11_236 * MILLION,
                beneficiaries=[2] * 11 + [1] * 47,
                outputs={"machines": 74},
            )
        ],
    )


def dak_lak_projects() -> int:
    # 2012–2024: about 242 projects, 107,505 million in all (5,586 national, 21,895 local, 80,024 counterpart);
    # 2 training projects for 80 workers, 45 courses with 2,309 trainees, 195 equipment projects, 15 trademark
    # projects. Assumptions: the courses are 20 management-training projects, the other 10 are trade promotion
    # (7) and consultancy (3), and how the money splits between kinds.
    years = list(range(2012, 2025))
    national = split(5_586 * MILLION, [0.1, 0.75, 0.1, 0.05])
    local = split(21_895 * MILLION, [0.05, 0.1, 0.75, 0.1])
    return load_projects(
        "Đắk Lắk",
        "DL",
        [
            Batch(
                "N",
                "vocational-training",
                FundingSource.NATIONAL,
                [2016, 2019],
                2,
                national[0],
                outputs={"workers_trained": 80},
            ),
            Batch("N", "equipment", FundingSource.NATIONAL, years, 40, national[1]),
            Batch("N", "trademark", FundingSource.NATIONAL, years, 5, national[2], outputs={"trademarks": 5}),
            Batch("N", "consultancy", FundingSource.NATIONAL, years, 3, national[3]),
            Batch(
                "L",
                "management-training",
                FundingSource.LOCAL,
                years,
                20,
                local[0],
                outputs={"courses": 45, "trainees": 2_309},
            ),
            Batch("L", "trade-promotion", FundingSource.LOCAL, years, 7, local[1]),
            Batch("L", "equipment", FundingSource.LOCAL, years, 155, local[2], counterpart_total=80_024 * MILLION),
            Batch("L", "trademark", FundingSource.LOCAL, years, 10, local[3], outputs={"trademarks": 10}),
        ],
    )


FAIR_NAMES = [
    ("Hội chợ Công Thương vùng Đông Bắc", FairLevel.REGIONAL),
    ("Hội chợ Thương mại quốc tế Việt – Trung", FairLevel.INTERNATIONAL),
    ("Hội chợ Công nghiệp nông thôn tiêu biểu khu vực phía Bắc", FairLevel.REGIONAL),
    ("Hội chợ hàng Việt Nam chất lượng cao", FairLevel.NATIONAL),
    ("Hội chợ Xúc tiến thương mại sản phẩm OCOP", FairLevel.NATIONAL),
    ("Phiên chợ hàng Việt về nông thôn", FairLevel.PROVINCIAL),
    ("Hội chợ Thương mại – Du lịch tỉnh Cao Bằng", FairLevel.PROVINCIAL),
]
FAIR_PLACES = ["Cao Bằng", "Hà Nội", "Lạng Sơn", "Thái Nguyên", "Quảng Ninh", "Bắc Kạn", "Thành phố Hồ Chí Minh"]


def cao_bang_fairs() -> tuple[int, int]:
    # 2018–2022: 257 participations of enterprises and cooperatives in 124 fairs (names and dates: assumption).
    province = old_province("Cao Bằng")
    if Fair.objects.filter(province=province, is_generated=True).exists():
        return 0, 0
    producers = list(
        Producer.objects.filter(province=province, kind__in=["enterprise", "cooperative"]).order_by("id")
    ) or list(Producer.objects.filter(province=province).order_by("id"))
    fairs = []
    for i in range(124):
        year = 2018 + i % 5
        name, level = FAIR_NAMES[i % len(FAIR_NAMES)]
        starts = datetime.date(year, 1 + (i * 5) % 12, 1 + (i * 3) % 25)
        fairs.append(
            Fair(
                name=f"{name} năm {year} (lần {i // len(FAIR_NAMES) + 1})",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=4),
                place=FAIR_PLACES[i % len(FAIR_PLACES)],
                organiser="Bộ Công Thương"
                if level in (FairLevel.NATIONAL, FairLevel.INTERNATIONAL)
                else "Sở Công Thương",
                level=level,
                booths=120 + (i * 17) % 200,
                province=province,
                current_province_id=province.today_province_id,
                is_generated=True,
            )
        )
    Fair.objects.bulk_create(fairs)
    # 124 fairs × 2 producers = 248, and 9 fairs with a third: 257.
    participations = []
    for i, fair in enumerate(fairs):
        for k in range(3 if i < 9 else 2):
            producer = producers[(i * 2 + k * 5) % len(producers)]
            participations.append(FairParticipation(fair=fair, producer=producer, booths=1))
    FairParticipation.objects.bulk_create(participations)
    return len(fairs), len(participations)


def load() -> dict:
    from . import ocop_ratings  # it reads old_province from here

    projects = cao_bang_projects() + ca_mau_projects() + dong_thap_projects() + dak_lak_projects()
    fairs, participations = cao_bang_fairs()
    return {
        "extension projects": projects,
        "fairs": fairs,
        "fair participations": participations,
        "OCOP ratings": ocop_ratings.cao_bang_ocop(),
    }
