"""The back-office findings of the "Trust" issue, one by one: staff could make an account a ministry account,
turn their department into the ministry agency, read another province's records through the history pages,
export a producer's formula as a live formula, import a zip bomb, and seat anyone on a council."""

import csv
import io
import time
import tracemalloc
import zipfile

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Council, ScoreSheet
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.imports.resources import RESOURCES
from products.enums import OrganizationKind
from products.models import Organization, Producer
from tests import factories

from .world import HYPERLINK, A, B, change_form_data, province_world, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_a(db):
    return staff_of(A)


@pytest.fixture
def staff_b(db):
    return staff_of(B)


@pytest.fixture
def worlds(staff_a, staff_b):
    return {A: province_world(A, staff_a, "CB"), B: province_world(B, staff_b, "CM")}


def _reach(user):
    user.refresh_from_db()
    return (
        user.role,
        user.organization_id,
        user.producer_id,
        user.is_superuser,
        user.is_staff,
        user.email,
        sorted(user.groups.values_list("pk", flat=True)),
        sorted(user.user_permissions.values_list("pk", flat=True)),
    )


def _changed(client, url, **changes):
    """POST the change page at `url` as the browser would send it, with `changes` crafted in."""
    data = change_form_data(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)


# -- accounts ------------------------------------------------------------------------------------------------------
def test_staff_cannot_add_an_account_in_the_admin_let_alone_a_ministry_one(client, staff_a):
    client.force_login(staff_a)
    before = User.objects.count()

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "bo-gia@example.vn",
            "full_name": "Bộ giả",
            "role": Role.MINISTRY,
            "organization": factories.ministry_organization().pk,
            "password1": "Mat-khau-2026-dai",
            "password2": "Mat-khau-2026-dai",
        },
    )

    assert response.status_code == 403
    assert User.objects.count() == before
    assert not User.objects.filter(email="bo-gia@example.vn").exists()


OTHER_ORGANISATION, MINISTRY_AGENCY, OTHER_PRODUCER, STAFF_GROUP = "<B org>", "<ministry>", "<B producer>", "<group>"


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.MINISTRY},
        {"organization": OTHER_ORGANISATION},
        {"organization": MINISTRY_AGENCY, "role": Role.STAFF},
        {"is_superuser": "on", "is_staff": "on"},
        {"producer": OTHER_PRODUCER},
        {"groups": STAFF_GROUP},
        {"email": "chiem-quyen@example.vn"},
    ],
    ids=["role", "other-organisation", "ministry-agency", "superuser", "other-producer", "groups", "email"],
)
def test_staff_cannot_widen_an_accounts_reach(client, staff_a, worlds, changes):
    target = worlds[A].producer_account
    values = {
        OTHER_ORGANISATION: worlds[B].organization.pk,
        MINISTRY_AGENCY: factories.ministry_organization().pk,
        OTHER_PRODUCER: worlds[B].producer.pk,
        STAFF_GROUP: staff_a.groups.get().pk,
    }
    changes = {k: values.get(v, v) for k, v in changes.items()}
    before = _reach(target)
    client.force_login(staff_a)

    response = _changed(client, reverse("admin:accounts_user_change", args=[target.pk]), **changes)

    assert response.status_code in (200, 302, 403)
    assert _reach(target) == before


def test_staff_cannot_make_their_own_account_a_ministry_account(client, staff_a, worlds):
    before = _reach(staff_a)
    client.force_login(staff_a)

    _changed(client, reverse("admin:accounts_user_change", args=[staff_a.pk]), role=Role.MINISTRY)

    assert _reach(staff_a) == before


def test_the_reach_fields_are_shown_read_only_to_staff(client, staff_a, worlds):
    client.force_login(staff_a)

    page = client.get(reverse("admin:accounts_user_change", args=[worlds[A].producer_account.pk])).content.decode()

    for name in ("role", "organization", "producer", "is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in page
    assert 'name="full_name"' in page


def test_staff_cannot_set_another_accounts_password(client, staff_a, worlds):
    target = worlds[A].member_user
    client.force_login(staff_a)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": "Chiem-quyen-2026", "password2": "Chiem-quyen-2026"},
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.check_password(factories.PASSWORD)


def test_staff_do_not_see_superusers(client, staff_a):
    boss = factories.UserFactory(role=Role.STAFF, organization=staff_a.organization, is_staff=True, is_superuser=True)
    client.force_login(staff_a)

    listed = client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list
    change = client.get(reverse("admin:accounts_user_change", args=[boss.pk]))

    assert boss not in listed
    assert change.status_code == 302  # "does not exist": back to the admin index


# -- organisations -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes", [{"kind": OrganizationKind.MINISTRY_AGENCY, "province": ""}, {"kind": OrganizationKind.MINISTRY_AGENCY}]
)
def test_staff_cannot_turn_their_department_into_the_ministry_agency(client, staff_a, changes):
    org = staff_a.organization
    client.force_login(staff_a)

    response = _changed(client, reverse("admin:products_organization_change", args=[org.pk]), **changes)

    assert response.status_code in (200, 302, 403)
    org.refresh_from_db()
    assert (org.kind, org.province.name) == (OrganizationKind.DEPARTMENT, A)


def test_staff_cannot_move_their_department_to_another_province(client, staff_a, worlds):
    org = staff_a.organization
    client.force_login(staff_a)

    _changed(client, reverse("admin:products_organization_change", args=[org.pk]), province=worlds[B].province.pk)

    org.refresh_from_db()
    assert org.province == worlds[A].province


def test_staff_cannot_add_an_organisation(client, staff_a):
    client.force_login(staff_a)
    before = Organization.objects.count()

    response = client.post(
        reverse("admin:products_organization_add"),
        {"name": "Cục giả", "kind": OrganizationKind.MINISTRY_AGENCY, "province": ""},
    )

    assert response.status_code == 403
    assert Organization.objects.count() == before


def test_a_superuser_still_changes_an_organisations_kind(client, superuser, staff_a):
    org = staff_a.organization
    client.force_login(superuser)

    response = _changed(
        client, reverse("admin:products_organization_change", args=[org.pk]), kind=OrganizationKind.EXTENSION_CENTRE
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.kind == OrganizationKind.EXTENSION_CENTRE


# -- history pages -------------------------------------------------------------------------------------------------
def test_another_provinces_producer_history_is_not_found(client, worlds):
    producer = worlds[A].producer
    version = producer.history.latest("history_date")
    client.force_login(worlds[B].staff)

    detail = client.get(reverse("admin:products_producer_simple_history", args=[producer.pk, version.history_id]))
    listing = client.get(reverse("admin:products_producer_history", args=[producer.pk]))

    assert detail.status_code == 404
    assert listing.status_code == 404
    assert producer.name not in detail.content.decode() + listing.content.decode()


def test_another_provinces_score_sheet_history_is_not_found(client, worlds):
    sheet = worlds[A].sheet
    version = sheet.history.latest("history_date")
    client.force_login(worlds[B].staff)

    detail = client.get(reverse("admin:awards_scoresheet_simple_history", args=[sheet.pk, version.history_id]))

    assert detail.status_code == 404
    assert str(sheet.total) not in detail.content.decode()


def test_own_provinces_history_opens_and_cannot_be_reverted(client, worlds):
    producer = worlds[A].producer
    version = producer.history.earliest("history_date")
    url = reverse("admin:products_producer_simple_history", args=[producer.pk, version.history_id])
    client.force_login(worlds[A].staff)

    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Đổi tên qua lịch sử"})

    assert response.status_code == 403
    producer.refresh_from_db()
    assert producer.name == "HTX CB"


def test_own_score_sheet_history_opens_for_the_rounds_organiser(client, worlds):
    sheet = worlds[A].sheet
    version = sheet.history.latest("history_date")
    client.force_login(worlds[A].staff)

    response = client.get(reverse("admin:awards_scoresheet_simple_history", args=[sheet.pk, version.history_id]))

    assert response.status_code == 200
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()


# -- export: the formula guard -------------------------------------------------------------------------------------
def _export(client, fmt):
    model_admin = site._registry[Producer]
    index = next(i for i, f in enumerate(model_admin.get_export_formats()) if f().get_extension() == fmt)
    fields = {f"producerresource_{name}": "on" for name in RESOURCES["producers"]().fields}
    return client.post(reverse("admin:products_producer_export"), {"format": index, **fields})


@pytest.fixture
def formula_producer(staff_a):
    return factories.producer(HYPERLINK, A)


def test_admin_xlsx_export_writes_a_typed_formula_as_text(client, staff_a, formula_producer):
    client.force_login(staff_a)

    response = _export(client, "xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HYPERLINK]
    assert cells, "the producer's name is in the file"
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_admin_csv_export_writes_a_typed_formula_behind_an_apostrophe(client, staff_a, formula_producer):
    client.force_login(staff_a)

    response = _export(client, "csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'" + HYPERLINK in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_admin_export_holds_only_the_users_province(client, staff_a, worlds):
    client.force_login(staff_a)

    text = _export(client, "csv").content.decode("utf-8-sig")

    assert "HTX CB" in text
    assert "HTX CM" not in text


# -- import: the staff pages' bounds -------------------------------------------------------------------------------
def zip_bomb() -> bytes:
    """A .xlsx of about 22 KB that unpacks to about 20 MB: one worksheet of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            + b" " * (20 * 1024 * 1024)
            + b"</t></is></c></row></sheetData></worksheet>",
        )
    return buffer.getvalue()


def test_admin_import_refuses_a_zip_bomb_quickly_in_vietnamese(client, staff_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = zip_bomb()
    assert len(bomb) < 40 * 1024
    model_admin = site._registry[Producer]
    index = next(i for i, f in enumerate(model_admin.get_import_formats()) if f().get_extension() == "xlsx")
    client.force_login(staff_a)
    client.get(reverse("admin:products_producer_import"))  # warm the page's templates and translations

    tracemalloc.start()
    started = time.perf_counter()
    response = client.post(
        reverse("admin:products_producer_import"),
        {"import_file": SimpleUploadedFile("bom-nen.xlsx", bomb), "format": index},
    )
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert "“bom-nen.xlsx” không đọc được" in errors or "bom-nen.xlsx" in errors
    assert "giải nén" in errors
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024
    assert "confirm_form" not in response.context


def test_admin_import_still_refuses_other_provinces_rows(client, staff_a):
    from tests.portal.imports.helpers import PRODUCER_HEADINGS, xlsx

    model_admin = site._registry[Producer]
    index = next(i for i, f in enumerate(model_admin.get_import_formats()) if f().get_extension() == "xlsx")
    client.force_login(staff_a)
    upload = xlsx(PRODUCER_HEADINGS, [[factories.next_tax_code(), "Cơ sở Cà Mau", "Hộ kinh doanh", "Lê Văn C", B, ""]])

    response = client.post(reverse("admin:products_producer_import"), {"import_file": upload, "format": index})

    assert response.status_code == 200
    assert "chỉ được nhập dữ liệu của tỉnh/thành phố mình" in response.content.decode()
    assert not Producer.objects.filter(name="Cơ sở Cà Mau").exists()


# -- council member inline -----------------------------------------------------------------------------------------
def test_council_member_choices_leave_out_other_provinces_staff_and_producers(client, worlds):
    world = worlds[A]
    client.force_login(world.staff)
    colleague = staff_of(A, email="dong-nghiep@example.vn")

    page = client.get(reverse("admin:awards_council_change", args=[world.council.pk]))
    (formset,) = [f.formset for f in page.context["inline_admin_formsets"]]
    choices = set(formset.empty_form.fields["user"].queryset)

    assert world.member_user in choices
    assert colleague in choices
    assert worlds[B].staff not in choices
    assert worlds[B].member_user not in choices
    assert world.producer_account not in choices
    assert worlds[B].producer_account not in choices
    assert not any(u.is_superuser for u in choices)


def test_council_member_autocomplete_leaves_out_other_provinces_staff_and_producers(client, worlds):
    world = worlds[A]
    client.force_login(world.staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "awards", "model_name": "councilmember", "field_name": "user", "term": ""},
    )

    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert world.member_user.pk in ids
    assert worlds[B].staff.pk not in ids
    assert worlds[B].member_user.pk not in ids
    assert world.producer_account.pk not in ids


def test_a_crafted_post_cannot_seat_another_provinces_staff(client, worlds):
    world = worlds[A]
    council = world.council
    client.force_login(world.staff)
    url = reverse("admin:awards_council_change", args=[council.pk])
    data = change_form_data(client.get(url).content.decode())
    new = int(data["members-TOTAL_FORMS"])
    data["members-TOTAL_FORMS"] = str(new + 1)
    data |= {f"members-{new}-user": worlds[B].staff.pk, f"members-{new}-role": "member", f"members-{new}-is_jury": "on"}

    response = client.post(url, data)

    assert response.status_code in (200, 302, 403)
    assert not Council.objects.get(pk=council.pk).members.filter(user=worlds[B].staff).exists()


# -- actions -------------------------------------------------------------------------------------------------------
def test_an_action_leaves_out_the_records_the_user_may_only_read(client, staff_a):
    from awards import services as awards_services
    from awards.enums import PhaseKind, RoundStatus
    from awards.models import Round
    from tests.awards.helpers import level, ministry_agency, programme, region, registration_window

    north = awards_services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration_window()},
        level=level("region"),
        year=registration_window()[0].year,
        region=region("bac"),
        organiser=ministry_agency(),
        title="Khu vực phía Bắc",
    )
    client.force_login(staff_a)
    changelist = reverse("admin:awards_round_changelist")
    assert north in client.get(changelist).context["cl"].result_list  # Cao Bằng's producers may be sent to it

    response = client.post(
        changelist, {"action": "publish_rounds", "_selected_action": [north.pk], "index": "0"}, follow=True
    )

    assert Round.objects.get(pk=north.pk).status == RoundStatus.DRAFT
    assert "Đã bỏ qua 1 bản ghi được chọn mà bạn không được thay đổi." in response.content.decode()


# -- who made a record ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_who_made_a_record_is_not_chosen_in_the_admin(client, staff_a, superuser, worlds, role):
    """`created_by` and the like are set by the services: the admin shows them and a crafted POST changes
    nothing, not even a superuser's."""
    producer = worlds[A].producer
    before = producer.created_by_id
    client.force_login(staff_a if role == "staff" else superuser)
    url = reverse("admin:products_producer_change", args=[producer.pk])
    assert 'name="created_by"' not in client.get(url).content.decode()

    response = _changed(client, url, created_by=superuser.pk, phone="0206 3999 999")

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.phone == "0206 3999 999"
    assert producer.created_by_id == before


def test_the_admin_links_a_document_to_the_portals_file_view(client, staff_a, worlds):
    """The storage address (MEDIA_URL) is never served: the admin links the permission-checked file view."""
    from products.models import Document

    document = Document.objects.filter(producer=worlds[A].producer).first()
    client.force_login(staff_a)
    page = client.get(reverse("admin:products_document_change", args=[document.pk])).content.decode()
    assert f'href="{document.get_file_url()}"' in page
    assert "/private-media/" not in page
    assert client.get(document.get_file_url()).status_code == 200
