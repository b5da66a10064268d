"""A ministry official reads what the dashboards link to, for every province, and writes nothing: the lists of
recognitions, OCOP ratings, khuyến công projects and fairs, the recognitions per province, the OCOP targets and
the comparison of provinces open (with no "record" buttons or forms, and a POST is refused); the registry, the
rounds and every write page stay closed."""

import pytest
from django.urls import reverse

from awards.models import Recognition
from tests import factories

READ = [
    "awards:staff.recognition.list",
    "awards:staff.ocop.list",
    "extension_projects:staff.project.list",
    "extension_projects:staff.fair.list",
    "dashboards:staff.dashboard",
    "reports:staff.index",
    "exports:ministry",
    "awards:staff.recognition.summary",
    "awards:staff.ocop.targets",
    "comparison:staff.province.compare",
]
CLOSED = [
    "products:staff.producer.list",
    "products:staff.product.list",
    "awards:staff.round.list",
    "awards:staff.certificate.list",
    "awards:staff.recognition.create",
    "awards:staff.ocop.create",
    "extension_projects:staff.project.create",
    "extension_projects:staff.fair.create",
    "imports:staff.batch.list",
]


@pytest.mark.parametrize("name", READ)
def test_the_ministry_reads(client, ministry_user, name):
    client.force_login(ministry_user)
    page = client.get(reverse(name))
    assert page.status_code == 200
    for write in CLOSED[4:]:
        assert reverse(write) not in page.content.decode()


@pytest.mark.parametrize("name", CLOSED)
def test_the_ministry_writes_nothing(client, ministry_user, name):
    client.force_login(ministry_user)
    assert client.get(reverse(name)).status_code == 403


def test_the_ministry_sees_every_province_in_the_recognitions_list(client, ministry_user, published_decision_any):
    client.force_login(ministry_user)
    page = client.get(reverse("awards:staff.recognition.list")).content.decode()
    for recognition in Recognition.objects.select_related("product"):
        assert recognition.product.name in page
    assert reverse("awards:staff.recognition.create") not in page


@pytest.fixture
def published_decision_any(db, superuser):
    from awards import services
    from awards.models import Level

    province = Level.objects.get(programme__code="spcnnttb", code="province")
    for place, name in (("Cao Bằng", "Lạp sườn Cao Bằng"), ("Cà Mau", "Khô mực Cà Mau")):
        product = factories.product(factories.producer(f"HTX {place}", place), name)
        services.recognition_record(
            actor=superuser, product=product, level=province, year=2020, decision_number=f"1/{place}"
        )


@pytest.mark.parametrize("name", [*READ[:4], *READ[-3:]])
def test_no_link_on_the_lists_refuses_the_ministry(client, ministry_user, published_decision_any, name):
    """Every link inside the page's main content opens for the ministry official (no 403 on a click)."""
    import re

    client.force_login(ministry_user)
    main = client.get(reverse(name)).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    links = {h for h in re.findall(r'href="(/[^"#]*)"', main) if "export=" not in h}
    assert links, "the page should link somewhere"
    for link in sorted(links):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_ministry_reads_the_recognitions_per_province_of_every_province(
    client, ministry_user, published_decision_any
):
    client.force_login(ministry_user)
    response = client.get(reverse("awards:staff.recognition.summary"))
    counts = {row["name"]: row["total"] for row in response.context["rows"]}
    assert (counts["Cao Bằng"], counts["Cà Mau"], len(counts)) == (1, 1, 34)
    assert "Ghi nhận kết quả công nhận trước đây" not in response.content.decode()


def test_the_ministry_reads_a_provinces_ocop_targets_without_the_form(client, ministry_user):
    from decimal import Decimal

    from awards.models import OcopTarget

    cao_bang = factories.province("Cao Bằng")
    target = OcopTarget.objects.create(province=cao_bang, year=2025, metric="four", value=Decimal(10))
    client.force_login(ministry_user)
    page = client.get(reverse("awards:staff.ocop.targets"), {"province": cao_bang.pk}).content.decode()
    assert "Chỉ tiêu OCOP của Cao Bằng" in page
    assert "Sản phẩm đạt 4★" in page
    assert 'id="target-form"' not in page
    assert "Đặt chỉ tiêu" not in page
    assert f"edit={target.pk}" not in page


@pytest.mark.parametrize("name", ["awards:staff.recognition.summary", "awards:staff.ocop.targets"])
def test_a_post_from_the_ministry_is_refused_and_changes_nothing(client, ministry_user, name):
    from awards.models import OcopTarget

    cao_bang = factories.province("Cao Bằng")
    client.force_login(ministry_user)
    response = client.post(
        f"{reverse(name)}?province={cao_bang.pk}", {"year": 2025, "metric": "four", "value": "12", "note": ""}
    )
    assert response.status_code == 403
    assert not OcopTarget.objects.exists()
