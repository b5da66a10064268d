"""The dashboard reproduces the published figures of the demo data (DOMAIN §6): recognitions per level of each
province as it was, khuyến công money per province and period, Cao Bằng's fairs and its OCOP stars against the 2025
target; and its counts open lists with the same counts.

One test function: load_demo takes several seconds."""

import io

from django.core.management import call_command
from django.urls import reverse

from portal.accounts.models import User
from products.models import AdministrativeUnit

URL = reverse("dashboards:staff.dashboard")

PUBLISHED = {
    "Cao Bằng": {"Cấp tỉnh": 49, "Cấp khu vực": 6, "Cấp quốc gia": 2},
    "Đồng Tháp": {"Cấp huyện": 317, "Cấp tỉnh": 189, "Cấp khu vực": 38, "Cấp quốc gia": 14},
    "Cà Mau": {"Cấp tỉnh": 73, "Cấp khu vực": 19, "Cấp quốc gia": 11},
    "Đắk Lắk": {"Cấp tỉnh": 61, "Cấp khu vực": 31, "Cấp quốc gia": 10},
}


def old(name):
    return AdministrativeUnit.objects.get(level="province", name=name, is_current=False).pk


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def totals(table):
    return {column: cell.value for column, cell in zip(table.columns, table.footer.cells, strict=True)}


def funding_totals(response):
    return totals(response.context["funding"].table)


def test_the_dashboard_shows_the_published_figures(client, db, demo_data):
    call_command("load_demo", stdout=io.StringIO())

    client.force_login(User.objects.get(email="quantri@cnnt.demo"))
    for province, expected in PUBLISHED.items():
        response = page(client, recorded_province=old(province))
        by_level = totals(response.context["recognition_blocks"][0].table)
        assert {level: by_level.get(level, 0) for level in expected} == expected, province
        assert by_level["Tổng cộng"] == sum(expected.values())

    # Đồng Tháp's 317 district-level recognitions open a list of 317.
    response = page(client, recorded_province=old("Đồng Tháp"), level="district")
    cell = response.context["recognition_blocks"][0].table.footer.cells[0]
    assert cell.value == 317
    assert cell.url.replace("&", "&amp;") in response.content.decode()
    assert client.get(cell.url).context["paginator"].count == 317

    # Khuyến công: Cao Bằng 2018–2022 44 projects, 12.31 billion (24 local, 20 national); Cà Mau 19.51 billion
    # (4.55 national, 14.96 local); Đắk Lắk 107,505 million (5,586 national, 21,895 local, 80,024 counterpart).
    figures = funding_totals(page(client, recorded_province=old("Cao Bằng"), year_from=2018, year_to=2022))
    assert figures["Đề án"] == 44
    assert figures["Tổng (đồng)"] == 12_310_000_000
    figures = funding_totals(page(client, recorded_province=old("Cà Mau")))
    assert (figures["KCQG (quốc gia)"], figures["KCĐP (địa phương)"]) == (4_550_000_000, 14_960_000_000)
    assert figures["Tổng (đồng)"] == 19_510_000_000
    figures = funding_totals(page(client, recorded_province=old("Đắk Lắk")))
    assert figures["KCQG (quốc gia)"] == 5_586_000_000
    assert figures["KCĐP (địa phương)"] == 21_895_000_000
    assert figures["Vốn đối ứng"] == 80_024_000_000
    assert figures["Tổng (đồng)"] == 107_505_000_000

    # Cao Bằng's officer: 124 fairs and 257 participations 2018–2022; OCOP 9 × 4★ and 88 × 3★ against the 2025
    # target of 150 ≥ 3★, 10 × 4★ and 1 × 5★.
    client.force_login(User.objects.get(email="canbo.caobang@cnnt.demo"))
    response = page(client, year_from=2018, year_to=2022)
    fairs = totals(response.context["fairs"].table)
    assert (fairs["Số hội chợ"], fairs["Lượt tham gia"]) == (124, 257)
    html = response.content.decode()
    assert "12.310.000.000" in html
    ocop = response.context["ocop"]
    stars = {row.label: row.cells[0].value for row in ocop.table.rows}
    assert (stars["4★"], stars["3★"]) == (9, 88)
    targets = {
        row.label: (row.cells[0].value, int(row.cells[1].value), row.cells[2].value)
        for row in ocop.extra_tables[0].rows
    }
    assert targets == {}  # the period 2018–2022 holds no target year
    response = page(client)
    targets = {
        row.label: (row.cells[0].value, int(row.cells[1].value), row.cells[2].value)
        for row in response.context["ocop"].extra_tables[0].rows
    }
    assert targets["Sản phẩm đạt từ 3★ trở lên"] == (2025, 150, 97)
    assert targets["Sản phẩm đạt 4★"] == (2025, 10, 9)
    assert targets["Sản phẩm đạt 5★"] == (2025, 1, 0)
    four = response.context["ocop"].table.rows[3].cells[0]
    assert client.get(four.url).context["paginator"].count == 9
    reached = response.context["ocop"].extra_tables[0].rows[0].cells[2]
    assert client.get(reached.url).context["paginator"].count == 97
