"""The department's identity as data: what the header and footer show, that pages read it from memory (no query),
the logo upload checked by its content and served through the file-serving function, and the demo's identity."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import site_identity
from portal.models import SiteIdentity
from products.models import AdministrativeUnit
from tests import factories

CONTACT = {
    "agency_name": "Sở Công Thương",
    "governing_body": "Ủy ban nhân dân tỉnh Cao Bằng",
    "address": "Số 042 đường Kim Đồng, phường Thục Phán, tỉnh Cao Bằng",
    "phone": "0206 3852 136",
    "email": "sct@caobang.gov.vn",
    "working_hours": "Thứ Hai – Thứ Sáu: 7 giờ 30 – 11 giờ 30",
}


def cao_bang():
    return AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")


def part(response, tag) -> str:
    html = re.search(rf"<{tag}\b.*?</{tag}>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_without_an_identity_the_header_shows_the_bare_agency(client, db):
    response = client.get(reverse("home"))
    assert "SCT" in part(response, "header")  # the initials' mark, not the old "CN"
    assert "Sở Công Thương" in part(response, "footer")


def test_header_and_footer_show_the_saved_identity(client, db):
    SiteIdentity(province=cao_bang(), **CONTACT).save()
    response = client.get(reverse("home"))
    assert "Sở Công Thương tỉnh Cao Bằng" in part(response, "header")
    footer = part(response, "footer")
    assert "Sở Công Thương tỉnh Cao Bằng Cơ quan chủ quản: Ủy ban nhân dân tỉnh Cao Bằng" in footer
    assert f"Địa chỉ: {CONTACT['address']}" in footer
    assert f"Đường dây nóng: {CONTACT['phone']}" in footer
    assert f"Email: {CONTACT['email']}" in footer
    assert f"Giờ làm việc: {CONTACT['working_hours']}" in footer
    assert 'href="tel:02063852136"' in response.content.decode()


def test_pages_read_the_identity_from_memory(client, db, django_assert_num_queries):
    SiteIdentity(province=cao_bang(), **CONTACT).save()  # the save empties the memory: the next page reads it
    with django_assert_num_queries(1):
        client.get(reverse("awards:verify.search"))
    with django_assert_num_queries(0):
        response = client.get(reverse("awards:verify.search"))
    assert "Sở Công Thương tỉnh Cao Bằng" in part(response, "header")


def test_a_change_shows_at_once_in_the_process_that_saved_it(client, db):
    identity = SiteIdentity(province=cao_bang(), **CONTACT)
    identity.save()
    client.get(reverse("home"))
    identity.phone = "1900 6868"
    identity.save()
    assert "Đường dây nóng: 1900 6868" in part(client.get(reverse("home")), "footer")


def test_other_processes_see_a_change_within_the_memory_limit(client, db, settings):
    SiteIdentity(province=cao_bang(), **CONTACT).save()
    client.get(reverse("home"))
    SiteIdentity.objects.filter(pk=1).update(phone="1900 6868")  # as another process's save looks from here
    assert "1900 6868" not in part(client.get(reverse("home")), "footer")
    settings.SITE_IDENTITY_CACHE_SECONDS = 0
    assert "Đường dây nóng: 1900 6868" in part(client.get(reverse("home")), "footer")


def test_the_identity_is_one_row(db):
    SiteIdentity(**CONTACT).save()
    SiteIdentity(agency_name="Sở Công Thương khác").save()
    assert SiteIdentity.objects.count() == 1
    assert SiteIdentity.objects.get().agency_name == "Sở Công Thương khác"


# -- the logo ------------------------------------------------------------------------------------------------------
def change_url():
    return reverse("admin:portal_siteidentity_change", args=[1])


def admin_post(**changes):
    data = {**CONTACT, "province": ""}
    data.update(changes)
    return data


def test_a_superuser_uploads_a_logo_shown_in_the_header(client, superuser):
    SiteIdentity(**CONTACT).save()
    client.force_login(superuser)
    logo = factories.jpeg_file("logo-so.jpg")
    response = client.post(change_url(), admin_post(logo=logo))
    assert response.status_code == 302
    identity = SiteIdentity.objects.get()
    assert identity.logo_content_type == "image/jpeg"
    page = client.get(reverse("awards:verify.search")).content.decode()
    logo_url = re.search(r'<img class="brand-logo" src="([^"]+)"', page).group(1)
    client.logout()
    served = client.get(logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_logo_that_is_not_an_image_is_refused_by_its_content(client, superuser):
    SiteIdentity(**CONTACT).save()
    client.force_login(superuser)
    fake = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(change_url(), admin_post(logo=fake, phone="1900 6868"))
    assert response.status_code == 200
    errors = " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))
    assert "không phải là hình ảnh" in errors
    identity = SiteIdentity.objects.get()
    assert not identity.logo
    assert identity.phone == CONTACT["phone"]


@pytest.mark.parametrize("role", ["anonymous", "producer_user", "staff_user", "superuser"])
def test_the_logo_address_answers_everyone_and_404_without_a_logo(client, db, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("site-logo")).status_code == 404
    SiteIdentity(**CONTACT).save()
    assert client.get(reverse("site-logo")).status_code == 404


@pytest.mark.parametrize("role", ["staff_user", "other_staff_user", "ministry_user"])
def test_only_a_superuser_edits_the_identity(client, db, request, role):
    SiteIdentity(**CONTACT).save()
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.post(change_url(), admin_post(phone="1900 6868")).status_code in (302, 403, 404)
    assert SiteIdentity.objects.get().phone == CONTACT["phone"]


def test_the_demo_identity_is_its_province_department(demo_data, db, client):
    site_identity.forget()
    response = client.get(reverse("home"))
    assert "Sở Công Thương tỉnh Cao Bằng" in part(response, "header")
    assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Cao Bằng" in part(response, "footer")
