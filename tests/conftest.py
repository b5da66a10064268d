import shutil

import pytest
from django.conf import settings

from portal.accounts.enums import Role

from . import factories


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def producer_a(db):
    return factories.producer("HTX Tâm Hòa", "Cao Bằng")


@pytest.fixture
def producer_b(db):
    return factories.producer("Công ty TNHH MTV 688", "Cao Bằng")


@pytest.fixture
def producer_other_province(db):
    return factories.producer("HTX Tân Phát Lợi", "Cà Mau")


@pytest.fixture
def product_a(producer_a):
    return factories.product(producer_a, "Lạp sườn Tâm Hòa")


@pytest.fixture
def product_b(producer_b):
    return factories.product(producer_b, "Chiếu trúc", group_code="1")


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True, full_name="Cán bộ Sở Cao Bằng"
    )


@pytest.fixture
def other_staff_user(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cà Mau"), is_staff=True, full_name="Cán bộ Sở Cà Mau"
    )


@pytest.fixture
def superuser(db):
    return factories.UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True, full_name="Quản trị")


@pytest.fixture
def ministry_user(db):
    """A national account (ministry official): reads every province's dashboards and reports, writes nothing."""
    return factories.UserFactory(
        role=Role.MINISTRY, organization=factories.ministry_organization(), full_name="Chuyên viên Bộ"
    )


@pytest.fixture
def member_user(db):
    return factories.UserFactory(role=Role.MEMBER, full_name="Thành viên Hội đồng")


@pytest.fixture
def producer_user(producer_a):
    return factories.UserFactory(role=Role.PRODUCER, producer=producer_a, full_name="Nguyễn Thanh Tâm")


@pytest.fixture
def producer_b_user(producer_b):
    return factories.UserFactory(role=Role.PRODUCER, producer=producer_b, full_name="Nguyễn Quang Quyền")


def pytest_configure(config):
    settings.LANGUAGE_CODE = "vi"
