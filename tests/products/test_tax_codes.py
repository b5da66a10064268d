"""Tax codes as the law has them since 1 July 2025: 10 digits, 10-3 for a dependent unit, and the 12-digit personal
identification number of a household business (Thông tư 86/2024/TT-BTC), each refused with its own Vietnamese
reason, and the kind of producer agreeing with the form. Through registration, the staff's form, the services, the
imports and the staff search (the public certificate lookup: tests/awards/views/test_verify.py)."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import User
from portal.imports.services import import_batch_confirm
from products import services
from products.enums import ProducerKind
from products.models import AdministrativeUnit, Producer
from products.tax_codes import CITIZEN_ID_PROVINCES
from tests import factories
from tests.portal.imports.helpers import PRODUCER_HEADINGS, csv_file, preview, preview_and_confirm, xlsx
from tests.portal.test_accounts import REGISTER, register_data

pytestmark = pytest.mark.django_db

HOUSEHOLD_ID = "004089012345"  # 004 Cao Bằng, a man born in 1989

MESSAGE_ANY = "Nhập mã số thuế gồm 10 chữ số (doanh nghiệp, hợp tác xã, tổ hợp tác, ví dụ 4800123456)"
MESSAGE_DEPENDENT_UNIT = "Mã số thuế của đơn vị phụ thuộc gồm 10 chữ số của đơn vị chủ quản"
MESSAGE_OLD_ID_CARD = "Số chứng minh nhân dân 9 chữ số không còn được dùng làm mã số thuế"
MESSAGE_NOT_A_PERSON = "Số định danh cá nhân 12 chữ số là mã số thuế của hộ kinh doanh hoặc cá nhân."
MESSAGE_HOUSEHOLD = "Từ ngày 01/7/2025, mã số thuế của hộ kinh doanh là số định danh cá nhân 12 chữ số của chủ hộ"


def province_message(number):
    return f"{number} không phải là số định danh cá nhân: ba chữ số đầu {number[:3]} không phải là mã của tỉnh"


def producer_data(**changes):
    cao_bang = factories.province("Cao Bằng")
    data = {
        "name": "Hộ kinh doanh Nông Văn Dìn",
        "kind": ProducerKind.HOUSEHOLD,
        "tax_code": HOUSEHOLD_ID,
        "legal_representative": "Nông Văn Dìn",
        "address": "Xóm Nà Pồng",
        "province": cao_bang,
        "unit": factories.ward_of(cao_bang),
    }
    data.update(changes)
    return data


def refusal(**changes) -> str:
    with pytest.raises(ValidationError) as exc, translation.override("vi"):
        services.producer_create(**producer_data(**changes))
    assert not Producer.objects.exists()
    with translation.override("vi"):
        return " ".join(exc.value.message_dict["tax_code"])


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# -- the three forms, each kind ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        (ProducerKind.ENTERPRISE, "4800123456", "4800123456"),
        (ProducerKind.COOPERATIVE, "0101234567-001", "0101234567-001"),
        (ProducerKind.COOPERATIVE_GROUP, " 0101234567 – 002 ", "0101234567-002"),
        (ProducerKind.ENTERPRISE, "0101234567003", "0101234567-003"),  # 13 digits: the hyphen put back
        (ProducerKind.HOUSEHOLD, HOUSEHOLD_ID, HOUSEHOLD_ID),
        (ProducerKind.HOUSEHOLD, "096 1 85 001234", "096185001234"),  # 096 Cà Mau
        (ProducerKind.COOPERATIVE, "４８００１５００１１", "4800150011"),  # full-width digits
        (ProducerKind.ENTERPRISE, "٤٨٠٠١٢٣٤٥٦", "4800123456"),  # Arabic-Indic digits
        (ProducerKind.HOUSEHOLD, "００４０８９０１２３４５", HOUSEHOLD_ID),
    ],
)
def test_each_form_is_accepted_for_its_kinds(kind, typed, stored):
    producer = services.producer_create(**producer_data(kind=kind, tax_code=typed))
    assert Producer.objects.get(pk=producer.pk).tax_code == stored


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("48001234AB", MESSAGE_ANY),
        ("48001234567", MESSAGE_ANY),
        ("4800123456-01", MESSAGE_DEPENDENT_UNIT),
        ("4800123456-000", MESSAGE_DEPENDENT_UNIT),
        ("480012345", MESSAGE_OLD_ID_CARD),
        ("999089012345", province_message("999089012345")),
        ("003089012345", province_message("003089012345")),  # 003 is no province's code
    ],
)
def test_each_wrong_form_has_its_own_vietnamese_reason(tax_code, message):
    assert message in refusal(tax_code=tax_code)


@pytest.mark.parametrize("kind", [ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE, ProducerKind.COOPERATIVE_GROUP])
def test_an_organisation_cannot_have_a_personal_identification_number(kind):
    assert MESSAGE_NOT_A_PERSON in refusal(kind=kind, tax_code=HOUSEHOLD_ID)


def test_a_household_recorded_before_the_reform_keeps_its_10_digit_code():
    old_cao_bang = factories.province("Cao Bằng", current=False)
    producer = services.producer_create(
        **producer_data(tax_code="4800567890", province=old_cao_bang, unit=factories.ward_of(old_cao_bang))
    )
    assert producer.tax_code == "4800567890"


def test_the_province_codes_are_those_of_the_63_provinces_before_the_reform():
    old = AdministrativeUnit.objects.filter(level="province", is_current=False)
    assert {f"{unit.code:03d}": unit.name for unit in old} == CITIZEN_ID_PROVINCES


# -- registration --------------------------------------------------------------------------------------------------
def household_registration(**changes):
    return register_data(
        **{
            "producer-name": "Hộ kinh doanh Nông Văn Dìn",
            "producer-kind": ProducerKind.HOUSEHOLD,
            "producer-tax_code": HOUSEHOLD_ID,
            **changes,
        }
    )


def test_a_household_business_registers_with_its_personal_identification_number(client):
    response = client.post(REGISTER, household_registration())
    assert response.status_code == 302
    producer = User.objects.get(email="hoa.htx@example.vn").producer
    assert (producer.kind, producer.tax_code) == (ProducerKind.HOUSEHOLD, HOUSEHOLD_ID)


def test_a_code_typed_in_other_digits_or_with_spaces_is_the_code_already_registered(client):
    """Full-width digits and spaces are read as the same code: no second producer under a registered code."""
    assert client.post(REGISTER, household_registration()).status_code == 302
    typed = "００４ ０８９ ０１２ ３４５"
    again = household_registration(**{"account-email": "khac@example.vn", "producer-tax_code": typed})
    response = client.post(REGISTER, again)
    assert response.status_code == 400
    assert Producer.objects.filter(tax_code=HOUSEHOLD_ID).count() == 1
    assert "đã được đăng ký" in text_of(response)
    assert 'maxlength="24"' in text_of(client.get(REGISTER))


def test_a_household_business_registering_today_is_refused_its_old_10_digit_code(client):
    response = client.post(REGISTER, household_registration(**{"producer-tax_code": "4800765432"}))
    assert response.status_code == 400
    assert MESSAGE_HOUSEHOLD in text_of(response)
    assert not Producer.objects.exists()


def test_an_enterprise_registering_with_a_personal_identification_number_is_told_why(client):
    response = client.post(REGISTER, household_registration(**{"producer-kind": ProducerKind.ENTERPRISE}))
    assert response.status_code == 400
    assert MESSAGE_NOT_A_PERSON in text_of(response)
    assert not User.objects.exists()


def test_a_dependent_unit_registers_with_its_13_digit_code(client):
    response = client.post(
        REGISTER, register_data(**{"producer-tax_code": "0101234567 001", "producer-kind": ProducerKind.ENTERPRISE})
    )
    assert response.status_code == 302
    assert Producer.objects.get().tax_code == "0101234567-001"


def test_the_registration_form_explains_the_three_forms(client):
    text = text_of(client.get(REGISTER))
    assert "số định danh cá nhân 12 chữ số của chủ hộ đối với hộ kinh doanh (ví dụ 004089012345)" in text


# -- the staff's form ----------------------------------------------------------------------------------------------
def staff_form_data(province, tax_code):
    return {
        "name": "Hộ kinh doanh Lò Thị Mai",
        "kind": ProducerKind.HOUSEHOLD,
        "tax_code": tax_code,
        "legal_representative": "Lò Thị Mai",
        "representative_title": "",
        "province": province.pk,
        "unit": factories.ward_of(province).pk,
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "founding_year": "",
        "workers": "",
    }


@pytest.mark.parametrize(("current", "status"), [(True, 400), (False, 302)])
def test_staff_record_a_household_10_digit_code_only_before_the_reform(client, staff_user, current, status):
    client.force_login(staff_user)
    province = factories.province("Cao Bằng", current=current)
    response = client.post(reverse("products:staff.producer.create"), staff_form_data(province, "4800567890"))
    assert response.status_code == status
    assert Producer.objects.filter(tax_code="4800567890").exists() is (not current)
    if current:
        assert MESSAGE_HOUSEHOLD in text_of(response)


def test_staff_record_a_household_today_with_its_personal_identification_number(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.producer.create"), staff_form_data(factories.province("Cao Bằng"), HOUSEHOLD_ID)
    )
    assert response.status_code == 302
    assert Producer.objects.get().tax_code == HOUSEHOLD_ID


def test_a_household_kept_from_before_the_reform_moves_to_todays_province_with_its_code(client):
    producer = factories.producer(
        "Cơ sở Nguyễn Hải Đăng", "Cao Bằng", current=False, kind=ProducerKind.HOUSEHOLD, tax_code="4800567890"
    )
    client.force_login(factories.UserFactory(producer=producer))
    data = staff_form_data(factories.province("Cao Bằng"), "")
    data.update(name="Cơ sở Nguyễn Hải Đăng", legal_representative="Nguyễn Hải Đăng", address="Tổ 5")
    response = client.post(reverse("products:producer.profile.update"), data)
    assert response.status_code == 302
    producer.refresh_from_db()
    assert (producer.province.is_current, producer.tax_code) == (True, "4800567890")


# -- imports -------------------------------------------------------------------------------------------------------
def test_imports_read_the_three_forms_and_restore_a_number_cells_leading_zero(superuser):
    rows = [
        [HOUSEHOLD_ID, "Hộ kinh doanh Nông Văn Dìn", "Hộ kinh doanh", "Nông Văn Dìn", "Cao Bằng", ""],
        [96185001234, "Hộ kinh doanh Lê Thị Mai", "Hộ kinh doanh", "Lê Thị Mai", "Cà Mau", ""],
        ["0101234567-001", "Chi nhánh Công ty Chè Shan tuyết", "Doanh nghiệp", "Lý Thị Mai", "Hà Nội", ""],
        [101234567002, "Chi nhánh Công ty Chè Tân Cương", "Doanh nghiệp", "Lý Văn Tân", "Hà Nội", ""],
    ]
    preview_and_confirm(superuser, "producers", xlsx(PRODUCER_HEADINGS, rows))
    assert set(Producer.objects.values_list("tax_code", "kind")) == {
        (HOUSEHOLD_ID, "household"),
        ("096185001234", "household"),
        ("0101234567-001", "enterprise"),
        ("0101234567-002", "enterprise"),
    }


def test_an_import_refuses_an_enterprise_with_a_personal_identification_number(superuser):
    row = [HOUSEHOLD_ID, "Công ty TNHH Miến dong", "Doanh nghiệp", "Nông Văn Dìn", "Cao Bằng", ""]
    with translation.override("vi"):
        batch = preview(superuser, "producers", csv_file(PRODUCER_HEADINGS, [row]))
    assert any(MESSAGE_NOT_A_PERSON in str(error) for error in batch.errors), batch.errors
    assert not Producer.objects.exists()


def test_a_product_row_finds_the_household_whose_number_lost_two_zeros(superuser):
    household = factories.producer("Hộ kinh doanh Nông Văn Dìn", kind=ProducerKind.HOUSEHOLD, tax_code=HOUSEHOLD_ID)
    upload = xlsx(["Mã số thuế", "Tên sản phẩm", "Nhóm sản phẩm"], [[4089012345, "Miến dong Phja Đén", "2"]])
    batch = preview(superuser, "products", upload)
    assert batch.errors == []
    import_batch_confirm(actor=superuser, batch=batch)
    assert list(household.products.values_list("name", flat=True)) == ["Miến dong Phja Đén"]


# -- search ----------------------------------------------------------------------------------
@pytest.mark.parametrize("query", [HOUSEHOLD_ID, "0890123", "0101234567-001"])
def test_staff_search_finds_every_form(client, staff_user, query):
    factories.producer("Hộ kinh doanh Nông Văn Dìn", kind=ProducerKind.HOUSEHOLD, tax_code=HOUSEHOLD_ID)
    factories.producer("Chi nhánh HTX Tâm Hòa", tax_code="0101234567-001")
    client.force_login(staff_user)
    response = client.get(reverse("products:staff.producer.list"), {"q": query})
    found = [p.tax_code for p in response.context["producers"]]
    assert found == ([HOUSEHOLD_ID] if query != "0101234567-001" else ["0101234567-001"])
