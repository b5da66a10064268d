"""Rows are matched within the uploader's province: a fair of the same name recorded by another province is not
taken, and an error never names another province's producer."""

import datetime

import pytest

from awards.models import OcopRating, Recognition
from extension_projects import services as fair_services
from extension_projects.enums import FairLevel
from extension_projects.models import Fair, FairParticipation
from tests import factories

from .helpers import csv_file, preview, preview_and_confirm

pytestmark = pytest.mark.django_db

FAIR = "Hội chợ vùng Đông Bắc 2022"
HEADS = ["Tên hội chợ", "Từ ngày", "Đến ngày", "Cấp hội chợ", "Tỉnh/thành phố", "Mã số thuế"]
START = datetime.date(2022, 10, 20)


def _fair(actor, province):
    return fair_services.fair_create(
        actor=actor,
        name=FAIR,
        starts_on=START,
        ends_on=datetime.date(2022, 10, 24),
        place="Cao Bằng",
        organiser="Bộ Công Thương",
        level=FairLevel.REGIONAL,
        province=factories.province(province),
    )


def _row(tax_code, province="Cao Bằng"):
    return [FAIR, "20/10/2022", "24/10/2022", "Cấp vùng", province, tax_code]


def test_a_participation_attaches_to_the_fair_of_the_rows_province(staff_user, other_staff_user):
    ca_mau = _fair(other_staff_user, "Cà Mau")
    cao_bang = _fair(staff_user, "Cao Bằng")
    mine = factories.producer("HTX Tâm Hòa", "Cao Bằng")

    preview_and_confirm(staff_user, "participations", csv_file(HEADS, [_row(mine.tax_code)]))

    participation = FairParticipation.objects.get(producer=mine)
    assert participation.fair == cao_bang
    assert not FairParticipation.objects.filter(fair=ca_mau).exists()
    assert Fair.objects.filter(name=FAIR).count() == 2


def test_another_provinces_fair_is_never_taken_a_new_one_is_recorded(staff_user, other_staff_user):
    ca_mau = _fair(other_staff_user, "Cà Mau")
    mine = factories.producer("HTX Tâm Hòa", "Cao Bằng")

    heads = [*HEADS, "Địa điểm", "Đơn vị tổ chức"]
    row = [*_row(mine.tax_code), "TP Cao Bằng", "Bộ Công Thương"]
    preview_and_confirm(staff_user, "participations", csv_file(heads, [row]))

    participation = FairParticipation.objects.get(producer=mine)
    assert participation.fair != ca_mau
    assert participation.fair.province.name == "Cao Bằng"
    assert not FairParticipation.objects.filter(fair=ca_mau).exists()


def test_a_superuser_row_with_the_province_column_picks_that_province(superuser, staff_user, other_staff_user):
    ca_mau = _fair(other_staff_user, "Cà Mau")
    cao_bang = _fair(staff_user, "Cao Bằng")
    mine = factories.producer("HTX Tâm Hòa", "Cao Bằng")

    preview_and_confirm(superuser, "participations", csv_file(HEADS, [_row(mine.tax_code, "Cà Mau")]))

    assert FairParticipation.objects.get(producer=mine).fair == ca_mau
    assert not FairParticipation.objects.filter(fair=cao_bang).exists()


def test_several_matching_fairs_are_a_row_error_not_a_pick(superuser, staff_user, other_staff_user):
    _fair(other_staff_user, "Cà Mau")
    _fair(staff_user, "Cao Bằng")
    mine = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    row = _row(mine.tax_code, "")

    batch = preview(superuser, "participations", csv_file(HEADS, [row]))

    assert [e["message"] for e in batch.errors] == [
        "Có hội chợ của nhiều tỉnh cùng tên “Hội chợ vùng Đông Bắc 2022” và cùng khai mạc ngày 20/10/2022: "
        "hãy ghi tỉnh/thành phố của hội chợ."
    ]
    assert batch.errors[0]["line"] == 2
    assert not FairParticipation.objects.exists()


PROVINCE_MESSAGE = "Dòng này thuộc tỉnh/thành phố khác"


@pytest.mark.parametrize(
    ("kind", "heads", "row"),
    [
        ("products", ["Mã số thuế", "Tên sản phẩm", "Nhóm sản phẩm"], ["Bất kỳ", "2"]),
        (
            "recognitions",
            ["Mã số thuế", "Tên sản phẩm", "Cấp", "Năm", "Số quyết định"],
            ["Bất kỳ", "Cấp tỉnh", "2020", "1/QĐ"],
        ),
        (
            "ocop_ratings",
            ["Mã số thuế", "Tên sản phẩm", "Số sao", "Tổng điểm", "Số quyết định", "Ngày quyết định"],
            ["Bất kỳ", "3", "65", "2/QĐ", "15/12/2021"],
        ),
    ],
)
def test_an_error_never_names_another_provinces_producer(staff_user, kind, heads, row):
    other = factories.producer("Cơ sở Bí Mật Cà Mau", "Cà Mau")
    factories.product(other, "Sản phẩm bí mật")

    batch = preview(staff_user, kind, csv_file(heads, [[other.tax_code, *row]]))

    messages = [e["message"] for e in batch.errors]
    assert messages, batch.errors
    assert all("Bí Mật" not in m and "bí mật" not in m for m in messages)
    assert any(e["message"].startswith(PROVINCE_MESSAGE) and e["column"] == "Mã số thuế" for e in batch.errors)
    assert not Recognition.objects.exists()
    assert not OcopRating.objects.exists()
