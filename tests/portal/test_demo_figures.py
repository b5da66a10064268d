"""The demo data reproduce the published provincial results (DOMAIN §6) on the recognitions dashboard, the named
products' levels, the fully scored 2024 Cao Bằng round, and a second run of load_demo changes nothing.

One test function: load_demo takes several seconds, and a module-scoped database is awkward in pytest-django."""

import io

from django.core.management import call_command
from django.urls import reverse

from awards.enums import SheetStatus
from awards.models import Conflict, Council, Decision, Recognition, Round, ScoreSheet
from awards.selectors import round_results
from portal.accounts.models import User
from products.models import Product

PUBLISHED = {
    # province as recorded before the reform: counts per level
    "Cao Bằng": {"district": 0, "province": 49, "region": 6, "national": 2},
    "Đồng Tháp": {"district": 317, "province": 189, "region": 38, "national": 14},
    "Cà Mau": {"district": 0, "province": 73, "region": 19, "national": 11},
    "Đắk Lắk": {"district": 0, "province": 61, "region": 31, "national": 10},
}


def dashboard(client):
    response = client.get(reverse("awards:staff.recognition.summary"), {"basis": "recorded"})
    assert response.status_code == 200
    return {
        row["name"]: {cell["level"].code: cell["count"] for cell in row["cells"]}
        for row in response.context["rows"]
        if not row["is_current"]
    }, response.content.decode()


def levels_of(product_name):
    return sorted(
        Recognition.objects.filter(product__name=product_name).values_list("level__code", "year"),
        key=lambda pair: pair[1],
    )


def state():
    return (
        Recognition.objects.count(),
        Product.objects.count(),
        ScoreSheet.objects.count(),
        Conflict.objects.count(),
        Decision.objects.count(),
        Round.objects.count(),
        User.objects.count(),
    )


def test_demo_reproduces_the_published_figures(client, db, demo_data):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="quantri@cnnt.demo"))

    figures, html = dashboard(client)

    for province, expected in PUBLISHED.items():
        assert {code: figures[province][code] for code in expected} == expected, province
        assert figures[province]["commune"] == 0
    # Every count links to the list of its products, filtered to the old province and the level.
    row = next(
        r
        for r in client.get(reverse("awards:staff.recognition.summary"), {"basis": "recorded"}).context["rows"]
        if r["name"] == "Đồng Tháp" and not r["is_current"]
    )
    district = next(c for c in row["cells"] if c["level"].code == "district")
    assert district["url"].replace("&", "&amp;") in html
    assert client.get(district["url"]).context["paginator"].count == 317

    # The named products, traced across levels (the years are the registry's assumptions where not sourced).
    assert levels_of("Lạp sườn Tâm Hòa") == [("province", 2017), ("region", 2018), ("national", 2019)]
    assert levels_of("Chiếu trúc 688") == [("province", 2019), ("region", 2020), ("national", 2021)]
    assert Recognition.objects.get(product__name="Chiếu trúc 688", level__code="national").decision_number == (
        "1997/QĐ-BCT"
    )
    for name in (
        "Khô mực Mỹ Thuyền",
        "Tôm khô Tân Phát Lợi",
        "Máy cho tôm ăn tự động",
        "Bánh phồng tôm Vĩnh Hòa Phát",
        "Ca cao Nam Trường Sơn",
        "Hạt mắc ca Damaca Nguyên Phương",
    ):
        chain = levels_of(name)
        assert chain[0][0] == "province", name
        assert [year for _level, year in chain] == sorted({year for _level, year in chain}), name

    # Every product recognised above a level was recognised at the level below first, in an earlier year.
    chains = {}
    for product_id, rank, year in Recognition.objects.values_list("product_id", "level__rank", "year"):
        chains.setdefault(product_id, {})[rank] = year
    for product_id, chain in chains.items():
        ranks = sorted(chain)
        assert ranks == list(range(ranks[0], ranks[-1] + 1)), product_id
        assert [chain[r] for r in ranks] == sorted(set(chain.values())), product_id

    # The 2024 Cao Bằng round: 7 members, one conflict, one outlier, every other sheet submitted, decision
    # published and counting 2 of the 49 province recognitions. The open round has no decision.
    closed = Round.objects.get(year=2024, level__code="province", province__name="Cao Bằng")
    council = Council.objects.get(round=closed)
    assert council.members.count() == 7
    conflict = Conflict.objects.get(member__council=council)
    assert not ScoreSheet.objects.filter(member=conflict.member, nomination=conflict.nomination).exists()
    nominations = closed.nominations.count()
    sheets = ScoreSheet.objects.filter(nomination__round=closed)
    assert sheets.count() == nominations * 7 - 1
    assert sheets.filter(status=SheetStatus.SUBMITTED).count() == sheets.count()
    outliers = [row for row in round_results(closed) if row.outlier_ids]
    assert len(outliers) == 1
    assert outliers[0].result.median - min(s.total for s in outliers[0].sheets) > 15
    assert Decision.objects.filter(round=closed).count() == 1
    assert Recognition.objects.filter(decision__round=closed).count() == 2
    open_round = Round.objects.filter(level__code="province", province__name="Cao Bằng").exclude(pk=closed.pk).get()
    assert not Decision.objects.filter(round=open_round).exists()

    before = state()
    call_command("load_demo", stdout=io.StringIO())
    assert state() == before
    assert dashboard(client)[0] == figures


def test_demo_has_a_household_business_registered_with_its_personal_identification_number(client, db, demo_data):
    user = User.objects.get(email="hkd.nongthimai@cnnt.demo")
    producer = user.producer
    assert (producer.name, producer.kind, producer.tax_code) == (
        "Hộ kinh doanh Nông Thị Mai",
        "household",
        "004188012345",
    )
    assert producer.province.is_current
    assert producer.products.get().photos.count() == 3
    client.force_login(user)
    page = client.get(reverse("products:producer.profile")).content.decode()
    assert "004188012345" in page
    assert "Hộ kinh doanh" in page
