"""The public home page says which rounds are open and until when, how to take part in three steps, and whom to
call: the department's contacts as saved in its identity."""

import re

from django.urls import reverse

from portal.models import SiteIdentity
from products.models import AdministrativeUnit

from ..nomination_helpers import in_days

HOME = reverse("home")


def text(response) -> str:
    main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_home_lists_the_open_rounds_with_their_deadlines(client, make_round):
    open_round = make_round(
        "province", publish=True, title="Bình chọn cấp tỉnh 2026", registration=(in_days(-3), in_days(25))
    )
    make_round("province", title="Vòng nháp")
    make_round("province", publish=True, title="Vòng đã đóng", registration=(in_days(-30), in_days(-1)))

    response = client.get(HOME)
    page = text(response)

    assert "Các đợt bình chọn đang nhận hồ sơ" in page
    assert f"Bình chọn cấp tỉnh 2026 Cấp tỉnh · Tỉnh Cao Bằng Hạn nhận hồ sơ: hết ngày {in_days(25):%d/%m/%Y}" in page
    assert open_round.get_public_url() in response.content.decode()
    assert "Vòng nháp" not in page
    assert "Vòng đã đóng" not in page


def test_home_without_an_open_round_says_so(client, db):
    assert "Hiện chưa có đợt bình chọn nào nhận hồ sơ." in text(client.get(HOME))


def test_many_open_rounds_link_to_the_whole_list_and_cost_no_more_queries(
    client, make_round, django_assert_max_num_queries
):
    make_round("province", publish=True, title="Vòng 1")
    client.get(HOME)
    with django_assert_max_num_queries(3) as one:
        client.get(HOME)
    for i in range(2, 7):
        make_round("province", publish=True, title=f"Vòng {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = text(client.get(HOME))

    assert page.count("Hạn nhận hồ sơ") == 4
    assert "Tất cả các đợt đang nhận hồ sơ" in page


def test_home_explains_the_three_steps(client, db):
    page = text(client.get(HOME))

    assert "Tham gia bình chọn trong ba bước" in page
    assert page.index("Đăng ký tài khoản cơ sở.") < page.index("Khai báo sản phẩm.")
    assert page.index("Khai báo sản phẩm.") < page.index("Đăng ký sản phẩm tham gia trước hạn.")


def test_home_shows_the_departments_contacts(client, db):
    SiteIdentity(
        province=AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng"),
        address="Số 042 đường Kim Đồng, phường Thục Phán",
        phone="0206 3852 136",
        email="sct@caobang.gov.vn",
        working_hours="Thứ Hai – Thứ Sáu",
    ).save()

    response = client.get(HOME)
    page = text(response)

    assert "Cần hỗ trợ? Liên hệ Sở Sở Công Thương tỉnh Cao Bằng" in page
    assert "Điện thoại: 0206 3852 136" in page
    assert "Email: sct@caobang.gov.vn" in page
    assert "Địa chỉ: Số 042 đường Kim Đồng, phường Thục Phán" in page
    assert "Giờ làm việc: Thứ Hai – Thứ Sáu" in page


def test_home_without_contacts_says_whom_to_ask(client, db):
    assert "Vui lòng liên hệ Sở Công Thương tỉnh, thành phố nơi cơ sở đặt trụ sở." in text(client.get(HOME))
