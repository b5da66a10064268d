"""The staff OCOP pages: recording a rating (stars against the score's band, parts against the criteria set in
force), the list (current ratings or the whole history), ratings about to expire, the province's targets against
what the ratings reach (by hand and on the published Cao Bằng figures), the rating history on the product and
producer pages, the admin, and who may open each page (permission matrix)."""

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.enums import OcopTargetMetric
from awards.models import OcopRating, OcopTarget
from awards.urls import urlpatterns
from portal.core.workflow import SYSTEM
from products.enums import ProducerKind
from products.models import Product
from tests import factories

LOGIN = "login"
ROLES = ("anonymous", "producer", "member", "other_staff", "staff", "ministry", "superuser")
OLD_SET = "Bộ tiêu chí OCOP 2019 (A 35 / B 25 / C 40)"
NEW_SET = "Bộ tiêu chí OCOP 2023 (A 40 / B 25 / C 35)"


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def rate(product, stars, score, day, number, **extra):
    return services.ocop_rating_record(
        product=product, actor=SYSTEM, stars=stars, score=score, decision_number=number, decision_date=day, **extra
    )


def text(html: str) -> str:
    """The page's text with tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def field_block(html: str, name: str) -> str:
    """The markup of one form field, from its wrapper to the next field."""
    start = html.index(f'id="id_{name}"')
    start = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start + 1)
    return html[start : end if end != -1 else len(html)]


def form_data(product, **overrides):
    data = {
        "product": product.pk,
        "stars": "4",
        "score": "78,5",
        "part_a": "38",
        "part_b": "15,5",
        "part_c": "25",
        "decision_number": "1688/QĐ-UBND",
        "decision_date": "16/09/2024",
        "level": "",
        "valid_until": "",
        "note": "",
    }
    data.update(overrides)
    return data


# -- recording a rating --------------------------------------------------------------------------------------------
def test_a_rating_is_recorded_through_the_page(client, staff_user, product_a):
    client.force_login(staff_user)
    page = client.get(url("staff.ocop.create") + f"?product={product_a.pk}").content.decode()
    assert "Cho sản phẩm “Lạp sườn Tâm Hòa” của HTX Tâm Hòa." in page
    assert f'<option value="{product_a.pk}" selected>' in page

    response = client.post(url("staff.ocop.create"), form_data(product_a))

    assert response.status_code == 302
    assert response.url == reverse("products:staff.product.detail", args=[product_a.pk])
    rating = OcopRating.objects.get()
    assert (rating.product, rating.stars, rating.score) == (product_a, 4, Decimal("78.5"))
    assert (rating.part_a, rating.part_b, rating.part_c) == (Decimal(38), Decimal("15.5"), Decimal(25))
    assert rating.criteria_set.code == "qd-148-2023"
    assert rating.level == "province"
    assert rating.valid_until == datetime.date(2027, 9, 15)  # 36 months, to the day before
    assert rating.created_by == staff_user
    assert "Đã ghi nhận: “Lạp sườn Tâm Hòa” 4★, quyết định 1688/QĐ-UBND." in client.get(response.url).content.decode()


def test_a_star_score_mismatch_is_refused_under_stars_with_the_input_kept(client, staff_user, product_a):
    client.force_login(staff_user)
    data = form_data(product_a, score="69,5", part_a="", part_b="", part_c="", decision_number="77/QĐ-UBND")

    response = client.post(url("staff.ocop.create"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Điểm 69,5 tương ứng hạng 3 sao, không phải 4 sao." in field_block(page, "stars")
    assert "tương ứng" not in field_block(page, "score")
    assert 'value="69,5"' in field_block(page, "score")
    assert 'value="77/QĐ-UBND"' in page
    assert 'value="16/09/2024"' in page
    assert '<option value="4" selected>' in field_block(page, "stars")
    assert not OcopRating.objects.exists()


def test_parts_are_checked_against_the_criteria_set_in_force_on_the_decision_date(client, staff_user, product_a):
    client.force_login(staff_user)
    page = client.get(url("staff.ocop.create")).content.decode()
    assert OLD_SET in page
    assert NEW_SET in page

    # Part A 38 is over the 2019 set's 35 ...
    response = client.post(url("staff.ocop.create"), form_data(product_a, decision_date="01/06/2021"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Phần A phải từ 0 đến 35 điểm theo Quyết định 1048/QĐ-TTg ngày 21/8/2019." in field_block(page, "part_a")
    assert f"Áp dụng vào ngày 01/06/2021: <strong>{OLD_SET}</strong>." in page
    assert not OcopRating.objects.exists()

    # ... and within the 2023 set's 40; part C 25 fits both.
    response = client.post(url("staff.ocop.create"), form_data(product_a, decision_date="01/06/2024"))
    assert response.status_code == 302
    assert OcopRating.objects.get().criteria_set.name == NEW_SET

    # Part C 38 is over the 2023 set's 35, though the 2019 set allowed 40.
    data = form_data(product_a, part_a="25", part_c="38", decision_date="02/06/2024", decision_number="2/QĐ-UBND")
    page = client.post(url("staff.ocop.create"), data).content.decode()
    assert "Phần C phải từ 0 đến 35 điểm theo Quyết định 148/QĐ-TTg ngày 24/02/2023." in field_block(page, "part_c")
    assert OcopRating.objects.count() == 1


def test_staff_cannot_rate_a_product_of_another_province(client, other_staff_user, product_a):
    client.force_login(other_staff_user)
    response = client.post(url("staff.ocop.create"), form_data(product_a))
    assert response.status_code == 400
    assert "Hãy chọn một sản phẩm trong danh sách." in field_block(response.content.decode(), "product")
    assert not OcopRating.objects.exists()


# -- history on the product and producer pages -----------------------------------------------------------------------
@pytest.fixture
def moved_up(product_a):
    """Lạp sườn Tâm Hòa: 3★ in 2021 (expired since), 4★ later (current)."""
    rate(product_a, 3, "64", datetime.date(2021, 11, 2), "1950/QĐ-UBND")
    recent = timezone.localdate() - datetime.timedelta(days=200)
    rate(product_a, 4, "74", recent, "1688/QĐ-UBND")
    return recent


def test_the_product_page_shows_the_current_stars_and_the_history(
    client, staff_user, producer_user, product_a, moved_up
):
    client.force_login(staff_user)
    page = client.get(reverse("products:staff.product.detail", args=[product_a.pk])).content.decode()
    words = text(page)
    assert "4★ OCOP" in words
    assert f"4★ hiện hành 74 1688/QĐ-UBND · {moved_up:%d/%m/%Y} Cấp tỉnh (3★–4★)" in words
    assert "3★ trước đây 64 1950/QĐ-UBND · 02/11/2021 Cấp tỉnh (3★–4★) 01/11/2024" in words
    assert words.index("1688/QĐ-UBND") < words.index("1950/QĐ-UBND")
    assert f'href="{url("staff.ocop.create")}?product={product_a.pk}"' in page
    assert "Ghi nhận kết quả đánh giá OCOP" in page

    # The producer sees the same history on its own product page, without the staff link.
    client.force_login(producer_user)
    page = client.get(reverse("products:producer.product.detail", args=[product_a.pk])).content.decode()
    assert "4★ OCOP" in text(page)
    assert "1688/QĐ-UBND" in page
    assert "1950/QĐ-UBND" in page
    assert url("staff.ocop.create") not in page


def test_the_producer_pages_show_the_ratings_of_every_product(
    client, staff_user, producer_user, product_a, moved_up, producer_a
):
    smoked = factories.product(producer_a, "Thịt lợn hun khói Tâm Hòa")
    rate(smoked, 3, "55", timezone.localdate() - datetime.timedelta(days=30), "1201/QĐ-UBND")
    client.force_login(staff_user)
    words = text(client.get(reverse("products:staff.producer.detail", args=[producer_a.pk])).content.decode())
    assert "Lạp sườn Tâm Hòa 4★ hiện hành 74 1688/QĐ-UBND" in words
    assert "Lạp sườn Tâm Hòa 3★ trước đây 64 1950/QĐ-UBND" in words
    assert "Thịt lợn hun khói Tâm Hòa 3★ hiện hành 55 1201/QĐ-UBND" in words

    client.force_login(producer_user)
    page = client.get(reverse("products:producer.profile")).content.decode()
    assert "1688/QĐ-UBND" in page
    assert "1950/QĐ-UBND" in page
    assert "1201/QĐ-UBND" in page
    assert reverse("products:producer.product.detail", args=[smoked.pk]) in page


# -- the list ------------------------------------------------------------------------------------------------------
def test_the_list_shows_current_ratings_by_default_and_the_history_on_request(
    client, staff_user, product_a, product_b, moved_up, producer_other_province
):
    rate(product_b, 3, "58", datetime.date(2022, 5, 4), "900/QĐ-UBND")
    elsewhere = factories.product(producer_other_province, "Mắm tôm chà")
    rate(elsewhere, 3, "60", datetime.date(2024, 1, 5), "55/QĐ-UBND")
    client.force_login(staff_user)

    current = client.get(url("staff.ocop.list")).content.decode()
    assert "1688/QĐ-UBND" in current
    assert "900/QĐ-UBND" in current
    assert "1950/QĐ-UBND" not in current  # superseded by the 4★
    assert "55/QĐ-UBND" not in current  # another province
    assert "đã hết hạn" in text(current)  # the 2022 rating of the mats, still their latest

    history = client.get(url("staff.ocop.list") + "?history=all").content.decode()
    assert "1950/QĐ-UBND" in history
    assert "1688/QĐ-UBND" in history

    three = client.get(url("staff.ocop.list") + "?history=all&stars=3").content.decode()
    assert "1950/QĐ-UBND" in three
    assert "1688/QĐ-UBND" not in three
    current_three = client.get(url("staff.ocop.list") + "?stars=3").content.decode()
    assert "900/QĐ-UBND" in current_three
    assert "1950/QĐ-UBND" not in current_three

    by_year = client.get(url("staff.ocop.list") + "?history=all&year=2021").content.decode()
    assert "1950/QĐ-UBND" in by_year
    assert "900/QĐ-UBND" not in by_year

    expiring = client.get(url("staff.ocop.list") + "?expiring=3650").content.decode()
    assert "1688/QĐ-UBND" in expiring
    assert "900/QĐ-UBND" not in expiring


def test_the_list_filters_by_province_today_and_as_recorded(client, superuser, product_a):
    old_province = factories.producer("HTX Hồng Ngự", "Đồng Tháp", current=False)
    today_province = factories.producer("HTX Cao Lãnh", "Đồng Tháp")
    rate(factories.product(old_province, "Bánh phồng tôm"), 3, "60", datetime.date(2024, 2, 1), "11/QĐ-UBND")
    rate(factories.product(today_province, "Khô cá lóc"), 3, "61", datetime.date(2024, 2, 2), "12/QĐ-UBND")
    rate(product_a, 3, "62", datetime.date(2024, 2, 3), "13/QĐ-UBND")
    client.force_login(superuser)
    dong_thap = factories.province("Đồng Tháp")
    old_dong_thap = old_province.province

    page = client.get(url("staff.ocop.list") + f"?province={dong_thap.pk}").content.decode()
    assert "11/QĐ-UBND" in page
    assert "12/QĐ-UBND" in page
    assert "13/QĐ-UBND" not in page
    page = client.get(url("staff.ocop.list") + f"?recorded_province={old_dong_thap.pk}").content.decode()
    assert "11/QĐ-UBND" in page
    assert "12/QĐ-UBND" not in page


def test_the_list_query_count_does_not_grow_with_ratings(client, staff_user, product_a, django_assert_max_num_queries):
    rate(product_a, 3, "62", datetime.date(2022, 3, 1), "1/QĐ-UBND")
    client.force_login(staff_user)
    target = url("staff.ocop.list")
    client.get(target)
    with django_assert_max_num_queries(12) as few:
        client.get(target)
    for i in range(6):
        producer = factories.producer(f"HTX số {i}", "Cao Bằng", kind=ProducerKind.ENTERPRISE)
        product = factories.product(producer, f"Sản phẩm số {i}")
        rate(product, 3, "60", datetime.date(2023, 4, 1 + i), f"{100 + i}/QĐ-UBND")
        rate(product, 4, "71", datetime.date(2024, 4, 1 + i), f"{200 + i}/QĐ-UBND")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target)
    assert "205/QĐ-UBND" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target + "?history=all")
    assert "105/QĐ-UBND" in response.content.decode()


# -- ratings about to expire -----------------------------------------------------------------------------------------
def test_the_expiring_list_holds_current_ratings_ending_within_90_days(client, staff_user, producer_a):
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=1000)
    producer_a.phone = "0206 3852 123"
    producer_a.email = "htx.tamhoa@example.vn"
    producer_a.save()

    def rated(name, days, **extra):
        product = factories.product(producer_a, name)
        rating = rate(product, 3, "60", decided, f"{name}/QĐ", valid_until=today + datetime.timedelta(days=days))
        return product, rating

    rated("Ngày cuối", 90)
    rated("Quá hạn mức", 91)
    rated("Hết hôm nay", 0)
    rated("Hết hôm qua", -1)
    superseded, _old = rated("Đã đánh giá lại", 30)
    rate(superseded, 4, "72", today - datetime.timedelta(days=10), "Đánh giá lại/QĐ")
    _product, reminded = rated("Đã nhắc", 45)
    OcopRating.objects.filter(pk=reminded.pk).update(reminded_at=timezone.now())
    client.force_login(staff_user)

    page = client.get(url("staff.ocop.expiring")).content.decode()
    words = text(page)
    assert "Ngày cuối/QĐ" in page
    assert "còn 90 ngày" in words
    assert "Hết hôm nay/QĐ" in page
    assert "còn 0 ngày" in words
    assert "Quá hạn mức/QĐ" not in page
    assert "Hết hôm qua/QĐ" not in page
    assert "Đã đánh giá lại/QĐ" not in page
    assert "Đã đánh giá lại" not in page
    assert f"Đã nhắc/QĐ · {decided:%d/%m/%Y} 3★ {today + datetime.timedelta(days=45):%d/%m/%Y}" in words
    assert f"đã gửi thư ngày {timezone.localdate():%d/%m/%Y}" in words
    assert "chưa gửi" in words
    assert "Nguyễn Thanh Tâm 0206 3852 123 htx.tamhoa@example.vn" in words
    assert words.index("Hết hôm nay/QĐ") < words.index("Đã nhắc/QĐ") < words.index("Ngày cuối/QĐ")

    wider = client.get(url("staff.ocop.expiring") + "?days=91").content.decode()
    assert "Quá hạn mức/QĐ" in wider


# -- targets -----------------------------------------------------------------------------------------------------------
def section(html: str, year: int) -> str:
    start = html.index(f'id="year-{year}"')
    return html[start : html.index("</section>", start)]


def row(html: str, label: str) -> str:
    for chunk in html.split("<tr>")[1:]:
        cells = text(chunk.split("</tr>")[0])
        if cells.startswith(label):
            return cells
    raise AssertionError(f"no row {label!r}")


@pytest.fixture
def province_2024(producer_a, producer_b, product_a, producer_other_province):
    """Cao Bằng on 31/12/2024 (worked out by hand): products rated 3★ or more — the lạp sườn 4★ (3★ in 2022, then
    4★), the chả 3★, the chiếu trúc 5★ = 3; the household's 2★ is not an OCOP product; the cooperative group's
    2021 3★ expired in January 2024; a 4★ of March 2025 is after the day; Cà Mau does not count. Subjects: HTX
    Tâm Hòa (cooperative) and Công ty 688 (enterprise) = 2, so 50 % cooperatives and 50 % SMEs."""
    producer_b.kind = ProducerKind.ENTERPRISE
    producer_b.save()
    rate(product_a, 3, "62", datetime.date(2022, 3, 1), "A1/QĐ")
    rate(product_a, 4, "75", datetime.date(2024, 6, 1), "A2/QĐ")
    rate(factories.product(producer_a, "Chả Tâm Hòa"), 3, "60", datetime.date(2023, 5, 10), "A3/QĐ")
    rate(factories.product(producer_b, "Chiếu trúc 688"), 5, "91", datetime.date(2024, 2, 1), "B1/QĐ-TTg")
    rate(factories.product(producer_b, "Đũa trúc 688"), 4, "72", datetime.date(2025, 3, 1), "B2/QĐ")
    household = factories.producer("Hộ Nông Văn Hải", "Cao Bằng", kind=ProducerKind.HOUSEHOLD)
    rate(factories.product(household, "Miến dong"), 2, "45", datetime.date(2024, 1, 10), "C1/QĐ")
    group = factories.producer("THT Bánh cuốn", "Cao Bằng", kind=ProducerKind.COOPERATIVE_GROUP)
    rate(factories.product(group, "Bánh cuốn"), 3, "55", datetime.date(2021, 1, 15), "D1/QĐ")
    rate(factories.product(producer_other_province, "Mắm tôm chà"), 4, "80", datetime.date(2024, 7, 1), "E1/QĐ")
    cao_bang = factories.province("Cao Bằng")
    for metric, value in (
        (OcopTargetMetric.AT_LEAST_3, 6),
        (OcopTargetMetric.FOUR, 2),
        (OcopTargetMetric.FIVE, 1),
        (OcopTargetMetric.COOPERATIVE_SHARE, 40),
        (OcopTargetMetric.SME_SHARE, 30),
    ):
        OcopTarget.objects.create(province=cao_bang, year=2024, metric=metric, value=Decimal(value))
    return cao_bang


def test_targets_against_the_actual_figures_worked_out_by_hand(client, staff_user, province_2024):
    client.force_login(staff_user)
    response = client.get(url("staff.ocop.targets"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chỉ tiêu OCOP của Cao Bằng" in page
    year = section(page, 2024)
    assert "tính đến ngày 31/12/2024" in text(year)
    assert row(year, "Sản phẩm đạt từ 3★ trở lên") == "Sản phẩm đạt từ 3★ trở lên 6 3 50 % Sửa"
    assert row(year, "Sản phẩm đạt 4★") == "Sản phẩm đạt 4★ 2 1 50 % Sửa"
    assert row(year, "Sản phẩm đạt 5★") == "Sản phẩm đạt 5★ 1 1 100 % Sửa"
    assert row(year, "Tỷ lệ chủ thể là hợp tác xã") == "Tỷ lệ chủ thể là hợp tác xã (%) 40 % 50 % 125 % Sửa"
    assert (
        row(year, "Tỷ lệ chủ thể là doanh nghiệp")
        == "Tỷ lệ chủ thể là doanh nghiệp nhỏ và vừa (%) 30 % 50 % 166,7 % Sửa"
    )
    words = text(year)
    assert "1 sản phẩm 5★" in words
    assert "1 sản phẩm 4★" in words
    assert "1 sản phẩm 3★" in words
    assert "Chủ thể OCOP: 2, trong đó 1 hợp tác xã và 1 doanh nghiệp (nhỏ và vừa)" in words


def test_staff_set_and_change_their_provinces_targets(client, staff_user, province_2024):
    client.force_login(staff_user)
    target = OcopTarget.objects.get(year=2024, metric=OcopTargetMetric.FOUR)
    page = client.get(url("staff.ocop.targets") + f"?edit={target.pk}").content.decode()
    assert 'name="value" value="2.00"' in page or 'name="value" value="2"' in page

    response = client.post(url("staff.ocop.targets"), {"year": 2024, "metric": "four", "value": "3", "note": ""})
    assert response.status_code == 302
    assert OcopTarget.objects.get(year=2024, metric="four").value == 3
    assert OcopTarget.objects.filter(year=2024).count() == 5
    page = client.get(response.url).content.decode()
    assert "Đã lưu chỉ tiêu: Sản phẩm đạt 4★ đến năm 2024." in page
    assert row(section(page, 2024), "Sản phẩm đạt 4★") == "Sản phẩm đạt 4★ 3 1 33,3 % Sửa"

    response = client.post(
        url("staff.ocop.targets"), {"year": 2030, "metric": "sme_share", "value": "120", "note": "thử"}
    )
    assert response.status_code == 400
    assert "Tỷ lệ không vượt quá 100 %." in field_block(response.content.decode(), "value")
    assert 'value="120"' in response.content.decode()
    assert not OcopTarget.objects.filter(year=2030).exists()

    response = client.post(url("staff.ocop.targets"), {"year": 2030, "metric": "five", "value": "2,5", "note": ""})
    assert response.status_code == 400
    assert "Số sản phẩm phải là số nguyên." in field_block(response.content.decode(), "value")


def test_a_superuser_chooses_the_province(client, superuser, province_2024):
    client.force_login(superuser)
    page = client.get(url("staff.ocop.targets")).content.decode()
    assert "Chọn tỉnh/thành phố để xem chỉ tiêu." in page
    assert 'id="year-2024"' not in page
    page = client.get(url("staff.ocop.targets") + f"?province={province_2024.pk}").content.decode()
    assert row(section(page, 2024), "Sản phẩm đạt 5★") == "Sản phẩm đạt 5★ 1 1 100 % Sửa"
    response = client.post(
        url("staff.ocop.targets") + f"?province={province_2024.pk}",
        {"year": 2026, "metric": "at_least_3", "value": "160", "note": ""},
    )
    assert response.status_code == 302
    assert response.url == url("staff.ocop.targets") + f"?province={province_2024.pk}"
    assert OcopTarget.objects.get(year=2026).province == province_2024


def test_the_published_cao_bang_figures_on_the_demo_data(client, superuser, demo_data):
    """Cao Bằng 2025: 9 products 4★ and 88 products 3★ (latest rating per product, still valid on 31/12/2025).
    One load_demo in one test: it takes several seconds."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(superuser)
    cao_bang = factories.province("Cao Bằng")

    page = client.get(url("staff.ocop.targets") + f"?province={cao_bang.pk}").content.decode()

    year = section(page, 2025)
    words = text(year)
    assert "9 sản phẩm 4★" in words
    assert "88 sản phẩm 3★" in words
    assert "0 sản phẩm 5★" in words
    assert row(year, "Sản phẩm đạt từ 3★ trở lên").startswith("Sản phẩm đạt từ 3★ trở lên 150 97 64,7 %")
    assert row(year, "Sản phẩm đạt 4★").startswith("Sản phẩm đạt 4★ 10 9 90 %")
    assert row(year, "Sản phẩm đạt 5★").startswith("Sản phẩm đạt 5★ 1 0 0 %")

    lap_suon = Product.objects.get(name="Lạp sườn Tâm Hòa", is_generated=False)
    words = text(client.get(reverse("products:staff.product.detail", args=[lap_suon.pk])).content.decode())
    assert "4★ OCOP" in words
    assert "4★ hiện hành 74 1688/QĐ-UBND · 16/09/2024" in words
    assert "3★ trước đây 64 1950/QĐ-UBND · 02/11/2021" in words


# -- admin -------------------------------------------------------------------------------------------------------------
def test_the_admin_adds_ratings_through_the_service_and_scopes_them(
    client, admin_staff_user, product_a, producer_other_province
):
    rate(factories.product(producer_other_province, "Mắm tôm chà"), 3, "60", datetime.date(2024, 1, 5), "55/QĐ")
    staff_user = admin_staff_user
    client.force_login(staff_user)
    add = reverse("admin:awards_ocoprating_add")
    data = {**form_data(product_a, score="69.5", part_a="", part_b="", part_c=""), "decision_date": "2024-09-16"}
    response = client.post(add, data)
    assert response.status_code == 200
    assert "Điểm 69,5 tương ứng hạng 3 sao, không phải 4 sao." in response.content.decode()
    assert not OcopRating.objects.filter(product=product_a).exists()

    response = client.post(add, {**data, "score": "74"})
    assert response.status_code == 302
    rating = OcopRating.objects.get(product=product_a)
    assert (rating.stars, rating.created_by, rating.valid_until) == (4, staff_user, datetime.date(2027, 9, 15))

    changelist = client.get(reverse("admin:awards_ocoprating_changelist")).content.decode()
    assert "1688/QĐ-UBND" in changelist
    assert "55/QĐ" not in changelist


# -- permission matrix -------------------------------------------------------------------------------------------
def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


STAFF_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 403, 200)
READ_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 200, 200)  # ministry officials read it too
# Roles that see the Cao Bằng record on a page they open.
SEE_CAO_BANG = ("staff", "ministry", "superuser")


@pytest.fixture
def records(staff_user, other_staff_user, superuser, member_user, producer_user, ministry_user, product_a):
    """A Cao Bằng product with a rating ending in 30 days and a Cao Bằng target."""
    today = timezone.localdate()
    rate(
        product_a,
        3,
        "62",
        today - datetime.timedelta(days=1000),
        "1950/QĐ-UBND",
        valid_until=today + datetime.timedelta(days=30),
    )
    cao_bang = factories.province("Cao Bằng")
    OcopTarget.objects.create(province=cao_bang, year=2025, metric=OcopTargetMetric.FOUR, value=Decimal(10))
    users = {
        "anonymous": None,
        "producer": producer_user,
        "member": member_user,
        "other_staff": other_staff_user,
        "staff": staff_user,
        "ministry": ministry_user,
        "superuser": superuser,
    }
    return SimpleNamespace(product=product_a, province=cao_bang, users=users)


# name → (method, url, data, expected by role, roles that see the Cao Bằng record)
URLS = {
    "staff.ocop.list": lambda r: ("get", url("staff.ocop.list"), None, READ_PAGE, "1950/QĐ-UBND"),
    "staff.ocop.create": lambda r: (
        "get",
        url("staff.ocop.create") + f"?product={r.product.pk}",
        None,
        STAFF_PAGE,
        "Cho sản phẩm “Lạp sườn Tâm Hòa”",
    ),
    "staff.ocop.expiring": lambda r: ("get", url("staff.ocop.expiring"), None, STAFF_PAGE, "1950/QĐ-UBND"),
    "staff.ocop.targets": lambda r: (
        "get",
        url("staff.ocop.targets") + f"?province={r.province.pk}",
        None,
        # Staff of another province have no say on Cao Bằng: 404, as if it were not there. Ministry officials
        # read every province's targets.
        outcomes(LOGIN, 403, 403, 404, 200, 200, 200),
        "Chỉ tiêu OCOP của Cao Bằng",
    ),
}
POSTS = {
    "record a rating": lambda r: (
        "post",
        url("staff.ocop.create"),
        form_data(r.product, stars="4", score="75", part_a="", part_b="", part_c="", decision_date="01/10/2025"),
        # Staff of another province cannot choose the product: the form comes back refused.
        outcomes(LOGIN, 403, 403, 400, 302, 403, 302),
        None,
    ),
    "set a target": lambda r: (
        "post",
        url("staff.ocop.targets") + f"?province={r.province.pk}",
        {"year": 2025, "metric": "four", "value": "12", "note": ""},
        # Ministry officials read the targets page but send it nothing: 403.
        outcomes(LOGIN, 403, 403, 404, 302, 403, 302),
        None,
    ),
}


def state():
    return (
        sorted(OcopRating.objects.values_list("pk", "stars", "decision_number")),
        sorted(OcopTarget.objects.values_list("province_id", "year", "metric", "value")),
    )


def test_matrix_covers_every_ocop_url():
    names = {p.name for p in urlpatterns if p.name and p.name.startswith("staff.ocop.")}
    assert names == set(URLS)
    assert {p.name for p in urlpatterns if p.callback.__module__ == "awards.views.ocop"} <= set(URLS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [*URLS, *POSTS])
def test_ocop_urls_answer_by_role(client, records, name, role):
    if records.users[role] is not None:
        client.force_login(records.users[role])
    method, target, data, expected, marker = {**URLS, **POSTS}[name](records)
    before = state()

    response = client.post(target, data) if method == "post" else client.get(target)

    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[role]
    if marker is not None and response.status_code == 200:
        assert (marker in response.content.decode()) == (role in SEE_CAO_BANG)
    assert (state() != before) == (method == "post" and expected[role] == 302)
