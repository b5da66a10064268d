"""A producer registers, confirms its e-mail, signs in, adds a product with three photos and sees it listed;
a bad upload is refused with its reason. Real Chromium against the live server."""

import io
import re

import pytest
from PIL import Image

from products.models import Producer, Product, ProductPhoto

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _jpeg(path, color):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_producer_registers_verifies_adds_product_with_photos(page, live_server, mailoutbox, tmp_path):
    page.goto(f"{live_server.url}/accounts/register/")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.fill("#id_account-full_name", "Nông Thị Hạnh")
    page.fill("#id_account-email", "hanh.htx@example.vn")
    page.fill("#id_account-phone", "0206 3851 234")
    page.fill("#id_account-password1", "Mien-dong-2026!")
    page.fill("#id_account-password2", "Mien-dong-2026!")
    page.fill("#id_producer-name", "Hợp tác xã Miến dong Phja Đén")
    page.select_option("#id_producer-kind", "cooperative")
    page.fill("#id_producer-tax_code", "4800987654")
    page.fill("#id_producer-legal_representative", "Nông Thị Hạnh")
    page.select_option("#id_producer-province", label="Tỉnh Cao Bằng")
    # htmx fills the communes of the chosen province.
    # (Polling through locators: wait_for_function would need eval, which the portal's CSP forbids.)
    page.wait_for_selector("#id_producer-unit option >> nth=10", state="attached")
    page.select_option("#id_producer-unit", label="Xã Nguyên Bình")
    page.fill("#id_producer-address", "Xóm Phja Đén")
    page.click("main button[type=submit]")

    page.wait_for_url(re.compile(r"/accounts/register/done/$"))
    assert "hanh.htx@example.vn" in page.inner_text("main")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mailoutbox[0].body).group(0)

    # Signing in before confirming is refused with a reason.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hanh.htx@example.vn")
    page.fill("#id_password", "Mien-dong-2026!")
    page.click("main button[type=submit]")
    assert "chưa được xác nhận" in page.inner_text(".form-errors")

    page.goto(link)
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "hanh.htx@example.vn")
    page.fill("#id_password", "Mien-dong-2026!")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/me/producer/$"))
    assert "Hợp tác xã Miến dong Phja Đén" in page.inner_text("h1")

    page.click("main a:has-text('Thêm sản phẩm') >> nth=0")  # the next-step panel's button
    page.fill("#id_name", "Miến dong Phja Đén")
    page.select_option("#id_group", label="Chế biến nông, lâm, thủy sản và thực phẩm")
    page.fill("#id_description", "Miến dong làm thủ công từ củ dong riềng trồng tại xã.")
    page.set_input_files(
        "#id_photos",
        [_jpeg(tmp_path / f"mien-{i}.jpg", color) for i, color in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)])],
    )
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/me/products/\d+/$"))
    assert page.locator(".photo-grid img").count() == 3
    # The photos really load (served by the permission-checked file view).
    photos = page.locator(".photo-grid img")
    for _ in range(50):
        if photos.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth === 64)"):
            break
        page.wait_for_timeout(100)
    assert photos.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth === 64)")

    page.click("nav.main-nav >> text=Sản phẩm của tôi")
    assert "Miến dong Phja Đén" in page.inner_text("main table")

    producer = Producer.objects.get(tax_code="4800987654")
    assert producer.current_province.name == "Cao Bằng"
    product = Product.objects.get(producer=producer)
    assert ProductPhoto.objects.filter(product=product).count() == 3

    # A text file renamed .jpg is refused, with its name and the reason, and nothing is stored.
    page.click("text=Miến dong Phja Đén")
    fake = tmp_path / "anh-gia.jpg"
    fake.write_text("đây không phải là ảnh")
    page.set_input_files("#id_photos", str(fake))
    page.click("form.inline-upload button[type=submit]")
    error = page.inner_text(".field.has-error .error")
    assert "anh-gia.jpg" in error
    assert "JPEG" in error
    assert ProductPhoto.objects.filter(product=product).count() == 3
