"""The public catalogue in Chromium at 1280 and 360 pixels: cards led by their photo with the level and star badges
on it, the browse tiles, the newest recognitions on the home page, and nothing wider than a 360 px phone.
Screenshots go to SCREENSHOTS_DIR if set."""

import os

import pytest

from tests import factories
from tests.portal.catalogue.conftest import TODAY, add_photo, rate, recognise

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shoot(page, name):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def shop(superuser):
    ha_giang = factories.producer("Hợp tác xã Chè Shan Tuyết Lũng Phìn", "Hà Giang", current=False)
    tea = factories.product(ha_giang, "Chè shan tuyết cổ thụ Lũng Phìn")
    recognise(tea, superuser, "province", 2023)
    recognise(tea, superuser, "region", 2024)
    rate(tea, superuser, 4, TODAY)
    add_photo(tea)
    noodles = factories.product(factories.producer("HTX Miến Dong Phja Đén", "Cao Bằng"), "Miến dong Phja Đén")
    recognise(noodles, superuser, "province", 2022)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def inside(page, inner: str, outer: str) -> bool:
    a, b = page.locator(inner).first.bounding_box(), page.locator(outer).first.bounding_box()
    horizontally = a["x"] >= b["x"] and a["x"] + a["width"] <= b["x"] + b["width"] + 1
    return horizontally and a["y"] >= b["y"] and a["y"] + a["height"] <= b["y"] + b["height"] + 1


@pytest.mark.parametrize("width", [1280, 360])
def test_cards_tiles_and_home_fit_the_screen(page, live_server, shop, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/catalogue/")
    text = page.inner_text("main")
    assert "Theo tỉnh" in text
    assert "Hà Giang (cũ) → Tuyên Quang" in text
    for badge in (".level-badge", ".ocop-badge"):
        assert inside(page, badge, ".product-card-photo")  # the badges sit on the photo
    assert page_width(page) <= width
    shoot(page, f"catalogue-{width}")
    page.goto(f"{live_server.url}/")
    assert "Sản phẩm mới được công nhận" in page.inner_text("main")
    assert page.locator(".home-newest .product-card").count() == 2
    assert page_width(page) <= width
    shoot(page, f"home-newest-{width}")
