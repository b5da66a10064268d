"""The producer's home page tells it what to do next: add a first product, nominate a product in a round open to
it before the deadline, finish a draft, correct a returned dossier by its deadline. The rounds open for
registration are always in the producer's menu, and the only open round is already chosen in the wizard."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Nomination
from tests import factories

from ..nomination_helpers import draft, in_days, ready_product, returned, submitted

HOME = reverse("products:producer.profile")
START = reverse("awards:producer.nomination.create")


def home_page(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_sign_in_without_a_product_says_to_add_one(client, producer_user):
    page = home_page(client, producer_user)

    assert "Bước tiếp theo của bạn" in page
    assert "Thêm sản phẩm đầu tiên" in page
    assert f'href="{reverse("products:producer.product.create")}"' in page


def test_a_product_and_an_open_round_say_to_nominate_before_the_deadline(client, producer_user, producer_a, make_round):
    round_ = make_round(
        "province", publish=True, title="Bình chọn cấp tỉnh Cao Bằng", registration=(in_days(-2), in_days(20))
    )
    factories.product(producer_a, "Miến dong")

    page = home_page(client, producer_user)

    assert "Đề cử sản phẩm trong “Bình chọn cấp tỉnh Cao Bằng”" in page
    assert f"chậm nhất ngày {in_days(20):%d/%m/%Y}" in page
    assert page.count(f"{in_days(20):%d/%m/%Y}") == 1  # the deadline once, not again in the details
    assert f'href="{START}?round={round_.pk}"' in page
    assert "Thêm sản phẩm đầu tiên" not in page


def test_a_round_of_another_province_is_not_offered(client, producer_user, producer_a, make_round):
    make_round("province", province_name="Cà Mau", publish=True, title="Bình chọn cấp tỉnh Cà Mau")
    make_round("province", title="Vòng nháp Cao Bằng")  # a draft round is not open
    factories.product(producer_a, "Miến dong")

    page = home_page(client, producer_user)

    assert "Cà Mau" not in page
    assert "Vòng nháp" not in page
    assert "Bước tiếp theo của bạn" not in page


def test_every_product_nominated_leaves_only_the_dossier_to_follow(client, producer_user, producer_a, make_round):
    round_ = make_round("province", publish=True)
    product = ready_product(producer_a)
    nomination = submitted(round_, product, producer_user)

    page = home_page(client, producer_user)

    assert "Đề cử sản phẩm trong" not in page
    assert "Bước tiếp theo của bạn" in page
    assert f"“{product.name}” ({round_.title}): Đã nộp, chờ Sở Công Thương tiếp nhận" in page
    assert f"Mã tiếp nhận {nomination.receipt_code}. Hiện chưa cần làm gì" in page
    assert f'href="{nomination.get_producer_url()}">Theo dõi hồ sơ</a>' in page


def test_a_draft_says_to_finish_it_before_the_registration_closes(client, producer_user, producer_a, make_round):
    round_ = make_round("province", publish=True, registration=(in_days(-2), in_days(12)))
    nomination = draft(round_, ready_product(producer_a, "Lạp sườn Tâm Hòa"), producer_user)

    page = home_page(client, producer_user)

    assert "Hoàn thiện và gửi hồ sơ của “Lạp sườn Tâm Hòa”" in page
    assert f"chậm nhất ngày {in_days(12):%d/%m/%Y}" in page
    assert reverse("awards:producer.nomination.detail", args=[nomination.pk]) in page


def test_a_returned_dossier_says_what_to_fix_and_by_when(client, producer_user, producer_a, staff_user, make_round):
    round_ = make_round("province", publish=True)
    nomination = submitted(round_, ready_product(producer_a, "Lạp sườn Tâm Hòa"), producer_user)
    item = round_.checklist.get(document_type__code="product_description")
    returned(nomination, staff_user, items=("field:annual_output", f"doc:{item.pk}", "photos"), message="Bổ sung.")

    page = home_page(client, producer_user)

    assert "Sửa hồ sơ của “Lạp sườn Tâm Hòa”" in page
    assert f"chậm nhất ngày {in_days(10):%d/%m/%Y}" in page
    assert "Bổ sung." in page
    assert "<li>Phiếu đăng ký: sản lượng hằng năm</li>" in page
    assert f"Giấy tờ: {item.document_type}" in page
    assert "<li>Ảnh</li>" in page
    # The correction comes before the other products' nomination: it is the most urgent.
    factories.product(producer_a, "Miến dong")
    page = client.get(HOME).content.decode()
    assert page.index("Sửa hồ sơ") < page.index("Đề cử sản phẩm")


def test_next_steps_cost_the_same_queries_with_more_dossiers(client, producer_user, producer_a, staff_user, make_round):
    round_ = make_round("province", publish=True)
    returned(submitted(round_, ready_product(producer_a, "Sản phẩm 1"), producer_user), staff_user)
    client.force_login(producer_user)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for i in range(2, 5):
        returned(submitted(round_, ready_product(producer_a, f"Sản phẩm {i}"), producer_user), staff_user)
    draft(make_round("province", publish=True, title="Vòng 2"), factories.product(producer_a, "Khác"), producer_user)
    with CaptureQueriesContext(connection) as many:
        page = client.get(HOME).content.decode()

    assert page.count("Sửa hồ sơ của") == 4
    assert len(many.captured_queries) <= len(few.captured_queries) + 2  # the second round's coverage and phases


def test_producer_menu_always_links_the_open_rounds(client, producer_user):
    page = home_page(client, producer_user)

    assert f'<a href="{reverse("awards:public.round.list")}">Đợt bình chọn</a>' in page


def test_the_only_open_round_is_chosen_in_the_wizard(client, producer_user, producer_a, make_round):
    round_ = make_round("province", publish=True)
    factories.product(producer_a, "Miến dong")
    client.force_login(producer_user)

    page = client.get(START).content.decode()

    assert re.search(rf'<input[^>]*value="{round_.pk}"[^>]*checked', page)


def test_a_round_named_in_the_address_is_chosen_among_several(client, producer_user, producer_a, make_round):
    make_round("province", publish=True, title="Vòng 1")
    second = make_round("province", publish=True, title="Vòng 2")
    factories.product(producer_a, "Miến dong")
    client.force_login(producer_user)

    assert "checked" not in client.get(START).content.decode()
    assert client.get(f"{START}?round={second.pk}").context["form"]["round"].value() == str(second.pk)


@pytest.mark.parametrize("status_code_for", ["staff_user", "member_user"])
def test_next_steps_are_the_producers_only(client, request, status_code_for):
    client.force_login(request.getfixturevalue(status_code_for))
    assert client.get(HOME).status_code == 403
    assert not Nomination.objects.exists()


def test_photos_are_chosen_on_their_thumbnails(client, producer_user, producer_a, make_round):
    nomination = draft(make_round("province", publish=True), ready_product(producer_a), producer_user)
    photo = nomination.product.photos.order_by("pk").first()
    client.force_login(producer_user)

    page = client.get(reverse("awards:producer.nomination.step", args=[nomination.pk, "photos"])).content.decode()

    # The box, the thumbnail and the file name are one label: ticking the picture chooses the photo.
    label = re.search(
        rf'<label for="id_photos_\d+">(?:(?!</label>).)*value="{photo.pk}"(?:(?!</label>).)*</label>', page, re.S
    )
    assert label is not None
    assert f'<img src="{photo.get_file_url()}"' in label.group(0)
    assert f"<span>{photo.original_name}</span>" in label.group(0)
    assert "checked" in label.group(0)  # attached to the draft when it was started
    assert page.count(photo.get_file_url()) == 1  # no separate gallery apart from the boxes
