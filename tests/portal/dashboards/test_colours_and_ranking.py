"""One colour per award level and per star count on every dashboard (a province with district-level recognitions
and one without draw "Cấp tỉnh" in the same colour), and the national dashboard's ranking of provinces."""

import re

import pytest
from django.urls import reverse

from awards.models import Level, Recognition
from portal.core.palette import LEVEL_COLOURS, STAR_COLOURS
from tests import factories

from .helpers import populate

URL = reverse("dashboards:staff.dashboard")
pytestmark = pytest.mark.django_db


@pytest.fixture
def provinces(db):
    """Cao Bằng: province and region levels; Cà Mau: district level too (before the reform)."""
    cao_bang = populate("Cao Bằng", 6)
    ca_mau = populate("Cà Mau", 4)
    district = Level.objects.get(programme__code="spcnnttb", code="district")
    Recognition.objects.bulk_create(
        Recognition(product=p, level=district, year=2019, source="archive") for p in ca_mau["products"]
    )
    return {"Cao Bằng": cao_bang, "Cà Mau": ca_mau}


def bar_fills(html) -> dict[str, set[str]]:
    """{series name: the fills of its bars} over every chart of the page ("2020 – Cấp tỉnh: 2" → "Cấp tỉnh")."""
    out: dict[str, set[str]] = {}
    for fill, title in re.findall(r'<rect class="series-\d+" [^>]*fill="([^"]+)"><title>([^<]*)</title>', html):
        name = title.rsplit(":", 1)[0].split(" – ")[-1]
        out.setdefault(name, set()).add(fill)
    return out


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_a_level_has_the_same_colour_on_every_provinces_dashboard(client, superuser, provinces):
    seen = []
    for name in ("Cao Bằng", "Cà Mau"):
        fills = bar_fills(dashboard(client, superuser, province=factories.province(name).pk).content.decode())
        seen.append(fills)
        assert fills["Cấp tỉnh"] == {LEVEL_COLOURS["province"]}, name
        assert fills["Cấp khu vực"] == {LEVEL_COLOURS["region"]}, name
    assert "Cấp huyện" not in seen[0]
    assert seen[1]["Cấp huyện"] == {LEVEL_COLOURS["district"]}


def test_each_star_count_has_its_colour(client, staff_user, provinces):
    fills = bar_fills(dashboard(client, staff_user).content.decode())
    assert fills["3★"] == {STAR_COLOURS[3]}
    assert fills["4★"] == {STAR_COLOURS[4]}


def test_the_national_dashboard_ranks_the_provinces_and_links_the_comparison(client, ministry_user, provinces):
    response = dashboard(client, ministry_user, year_from=2012)
    panel = response.context["provinces"]
    ranked = [(row.label, row.cells[-1].value) for row in panel.table.rows]
    assert ranked == [("1. Cà Mau", 10), ("2. Cao Bằng", 9)]  # Cà Mau: 4 district, 4 province, 2 region
    total = panel.table.rows[0].cells[-1]
    assert client.get(total.url).context["paginator"].count == 10
    html = response.content.decode()
    assert f'href="{reverse("comparison:staff.province.compare")}?year_from=2012"' in html
    assert "So sánh tất cả các tỉnh" in html
    # At one level, the ranking counts that level only.
    response = dashboard(client, ministry_user, level="district")
    assert [(row.label, row.cells[-1].value) for row in response.context["provinces"].table.rows] == [("1. Cà Mau", 4)]


def test_a_province_view_has_no_ranking(client, staff_user, superuser, provinces):
    assert dashboard(client, staff_user).context["provinces"] is None
    chosen = dashboard(client, superuser, province=factories.province("Cao Bằng").pk)
    assert chosen.context["provinces"] is None
