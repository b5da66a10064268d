"""The demo data reproduces the khuyến công figures the provinces published (DOMAIN §6), exactly, on the summary
page filtered to each province as recorded (the old province) and period: what a department officer reads."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.accounts.models import User
from products.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

SUMMARY = reverse("extension_projects:staff.project.summary")


def old_province(name):
    return AdministrativeUnit.objects.get(level="province", name=name, is_current=False)


def text_of(html, element_id):
    """The visible text of the element with this id (a <dd>, <td> or <tr>)."""
    match = re.search(rf'<(dd|td|tr|div)[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def cells_of(html, row_id):
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
    assert match, f"no row #{row_id}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def summary(client, province, year_from="", year_to=""):
    response = client.get(
        SUMMARY, {"recorded_province": old_province(province).pk, "year_from": year_from, "year_to": year_to}
    )
    assert response.status_code == 200
    return response.content.decode(), response.context["summary"]


def by_type(figures, code):
    return next(row for row in figures["by_type"] if row["code"] == code)


def test_the_summary_page_shows_the_published_figures_of_each_province(client, demo_data):
    call_command("load_demo", verbosity=0)
    client.force_login(User.objects.get(email="quantri@cnnt.demo"))

    # Cao Bằng 2018–2022: 44 projects, 12.31 billion, 24 funded locally and 20 nationally.
    html, figures = summary(client, "Cao Bằng", 2018, 2022)
    assert text_of(html, "figure-projects") == "44"
    assert text_of(html, "figure-total") == "12.310.000.000 đồng"
    assert text_of(html, "source-local-projects") == "24"
    assert text_of(html, "source-national-projects") == "20"
    assert figures["total_amount"] == 12_310_000_000

    # Cao Bằng 2022: 9 projects, 1.075 billion (7 local, 2 national); the source's split does not add up.
    html, figures = summary(client, "Cao Bằng", 2022, 2022)
    assert text_of(html, "figure-projects") == "9"
    assert text_of(html, "figure-total") == "1.075.000.000 đồng"
    assert text_of(html, "source-local-projects") == "7"
    assert text_of(html, "source-national-projects") == "2"
    warning = text_of(html, "data-quality-warning")
    assert "9 đề án của giai đoạn này có ghi chú về chất lượng số liệu" in warning
    assert "CB-2022-N044" in warning
    assert "data-quality-warning" not in summary(client, "Cao Bằng", 2018, 2021)[0]

    # Cà Mau (all years): 19.51 billion, 4.55 national and 14.96 local; 1,759 jobs; 205 billion private investment.
    html, figures = summary(client, "Cà Mau")
    assert text_of(html, "source-national-amount") == "4.550.000.000"
    assert text_of(html, "source-local-amount") == "14.960.000.000"
    assert text_of(html, "figure-total") == "19.510.000.000 đồng"
    assert text_of(html, "figure-jobs") == "1.759"
    assert text_of(html, "figure-investment") == "205.000.000.000 đồng"

    # Đồng Tháp 2012–2021: 58 equipment projects for 69 establishments, over 11 billion.
    html, figures = summary(client, "Đồng Tháp", 2012, 2021)
    equipment = cells_of(html, "type-equipment")
    assert equipment[1:3] == ["58", "11.236.000.000"]
    assert text_of(html, "figure-establishments") == "69"
    assert figures["total_amount"] == 11_236_000_000 > 11_000_000_000

    # Đắk Lắk 2012–2024: 242 projects, 107,505 million (5,586 national, 21,895 local, 80,024 counterpart).
    html, figures = summary(client, "Đắk Lắk", 2012, 2024)
    assert text_of(html, "figure-projects") == "242"
    assert text_of(html, "source-national-amount") == "5.586.000.000"
    assert text_of(html, "source-local-amount") == "21.895.000.000"
    assert text_of(html, "source-counterpart-amount") == "80.024.000.000"
    assert text_of(html, "figure-total") == "107.505.000.000 đồng"
    columns = ["name", "projects", "amount", "trainees", "workers_trained", "courses", "machines", "trademarks"]
    vocational = dict(zip(columns, cells_of(html, "type-vocational-training"), strict=False))
    assert (vocational["projects"], vocational["workers_trained"]) == ("2", "80")
    management = dict(zip(columns, cells_of(html, "type-management-training"), strict=False))
    assert (management["courses"], management["trainees"]) == ("45", "2.309")
    assert cells_of(html, "type-equipment")[1] == "195"
    assert cells_of(html, "type-trademark")[1] == "15"
    assert by_type(figures, "vocational-training")["outputs"]["workers_trained"] == 80
    assert by_type(figures, "management-training")["outputs"] == {
        "trainees": 2_309,
        "workers_trained": 0,
        "courses": 45,
        "machines": 0,
        "trademarks": 0,
        "booths": 0,
    }
    assert by_type(figures, "equipment")["projects"] == 195
    assert by_type(figures, "trademark")["projects"] == 15
