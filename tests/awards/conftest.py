"""Rounds for the awards tests, built through awards.services exactly as the staff pages build them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services
from awards.enums import AreaKind, PhaseKind, RoundStatus
from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from portal.core.workflow import SYSTEM
from tests import factories

from .certificate_helpers import published_decision  # noqa: F401  (a fixture for the certificate tests)
from .helpers import level, ministry_agency, old_district_of, programme, region, registration_window


@pytest.fixture
def make_round(db):
    """make_round(level_code, ...) → a draft Round made by services.round_create; `publish=True` publishes it.

    The area defaults follow the level: district/commune/province rounds cover `province_name` (with its first
    ward, or its first old district), region rounds the northern region, national rounds nothing."""

    def make(
        level_code="province",
        *,
        province_name="Cao Bằng",
        region_code="bac",
        title=None,
        registration=None,
        phases=None,
        publish=False,
        **extra,
    ):
        lvl = level(level_code)
        registration = registration or registration_window()
        data = {"level": lvl, "year": registration[0].year}
        if lvl.area_kind in (AreaKind.DISTRICT, AreaKind.COMMUNE, AreaKind.PROVINCE):
            prov = factories.province(province_name)
            data.update(province=prov, organiser=factories.organization(province_name))
            if lvl.area_kind == AreaKind.COMMUNE:
                data["local_unit"] = factories.ward_of(prov)
            elif lvl.area_kind == AreaKind.DISTRICT:
                data["local_unit"] = old_district_of(prov)
        elif lvl.area_kind == AreaKind.REGION:
            data.update(region=region(region_code), organiser=ministry_agency())
        else:
            data["organiser"] = ministry_agency()
        data["title"] = title or f"Bình chọn {lvl.name.lower()} {data['year']}"
        data.update(extra)
        round_ = services.round_create(
            programme=programme(),
            phases={PhaseKind.REGISTRATION: registration, **(phases or {})},
            **data,
        )
        if publish:
            services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
        return round_

    return make


@pytest.fixture
def ministry_staff_user(db):
    """A staff account of the ministry's agency (it organises the region and national rounds)."""
    return factories.UserFactory(
        role=Role.STAFF, organization=ministry_agency(), is_staff=True, full_name="Chuyên viên Cục"
    )


@pytest.fixture
def admin_staff_user(staff_user):
    """Cao Bằng staff with the back-office permission group, as accounts are set up in production."""
    staff_user.groups.add(ensure_staff_group())
    return staff_user


@pytest.fixture
def count_queries():
    """Number of queries one GET of `url` costs (after a first GET that warms per-process caches)."""

    def count(client, url):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    return count
