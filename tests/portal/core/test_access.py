"""The access model: every model has a rule, `scoped` and `allows` give the same answers for every role, and
the scopes are what each role should reach."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured

from awards import services as awards_services
from awards.models import CouncilMember, Recognition
from extension_projects.models import Project
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.core import access
from portal.core.access import Reach
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Producer
from tests import factories
from tests.awards.certificate_helpers import published_decision  # noqa: F401 (fixture)
from tests.awards.conftest import make_round  # noqa: F401 (fixture)
from tests.awards.nomination_helpers import ready_product
from tests.extension_projects import helpers as project_helpers
from tests.extension_projects import test_fairs as fair_helpers

OUR_APPS = ("products", "awards", "extension_projects", "accounts", "portal")


def test_every_model_of_the_portal_has_an_access_rule():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        try:
            access.rule_for(model)
        except ImproperlyConfigured:
            missing.append(model._meta.label)
    assert missing == []


def test_a_model_without_a_rule_is_refused_not_opened(superuser):
    with pytest.raises(ImproperlyConfigured):
        access.scoped(Session.objects.all(), superuser)


@pytest.fixture
def world(published_decision, staff_user, other_staff_user, superuser, ministry_user):  # noqa: F811
    """A published Cao Bằng round (council, member, sheets, recognitions), a Cà Mau producer with a product, an
    OCOP rating, a project and a fair in each province, and one account of every kind."""
    decision = published_decision(recognised=2)
    cao_bang = factories.province("Cao Bằng")
    ca_mau = factories.province("Cà Mau")
    ca_mau_producer = factories.producer("Hợp tác xã Năm Căn", "Cà Mau")
    ca_mau_product = ready_product(ca_mau_producer, "Mắm tôm chà Năm Căn")
    cao_bang_producer = Producer.objects.filter(current_province=cao_bang).order_by("pk").first()
    for product, actor in ((ca_mau_product, other_staff_user), (cao_bang_producer.products.first(), staff_user)):
        awards_services.ocop_rating_record(
            product=product,
            actor=actor,
            stars=3,
            score=60,
            decision_number="12/QĐ-UBND",
            decision_date=datetime.date(2025, 3, 1),
        )
    for actor, province_name, code in ((staff_user, "Cao Bằng", "KC-CB-01"), (other_staff_user, "Cà Mau", "KC-CM-01")):
        project_helpers.project(actor, code=code, province=province_name)
        fair_helpers.fair(actor, name=f"Hội chợ {province_name}", province=province_name)
    member = CouncilMember.objects.filter(council__round=decision.round).select_related("user").first()
    nationwide = factories.UserFactory(
        role=Role.STAFF, organization=factories.ministry_organization(), full_name="Cán bộ Cục"
    )
    nationwide.organization.kind = OrganizationKind.MINISTRY_AGENCY
    nationwide.organization.save()
    users = {
        "anonymous": AnonymousUser(),
        "producer": User.objects.filter(role=Role.PRODUCER).first()
        or factories.UserFactory(role=Role.PRODUCER, producer=cao_bang_producer),
        "other_producer": factories.UserFactory(role=Role.PRODUCER, producer=ca_mau_producer),
        "member": member.user,
        "staff": staff_user,
        "other_staff": other_staff_user,
        "staff_without_organisation": factories.UserFactory(role=Role.STAFF, is_staff=True),
        "nationwide_staff": nationwide,
        "ministry": ministry_user,
        "superuser": superuser,
        "inactive_staff": factories.UserFactory(
            role=Role.STAFF, is_active=False, organization=factories.organization("Cao Bằng")
        ),
    }
    return {"decision": decision, "cao_bang": cao_bang, "ca_mau": ca_mau, "users": users}


@pytest.mark.django_db
def test_scoped_and_allows_agree_for_every_model_and_role(world):
    """`allows(user, obj)` reads loaded relations where it can, `scoped` asks the database: both must give the
    same answer for every row of every registered model, for reading and for changing."""
    disagreements, compared = [], 0
    for model in access.registered_models():
        rows = list(model._default_manager.all()[:60])
        if not rows:
            continue
        for name, user in world["users"].items():
            for write in (False, True):
                allowed = access.scoped(model._default_manager.all(), user, write=write)
                in_queryset = set(allowed.values_list("pk", flat=True))
                by_object = {row.pk for row in rows if access.allows(user, row, write=write)}
                expected = in_queryset & {row.pk for row in rows}
                if by_object != expected:
                    disagreements.append((model._meta.label, name, write, sorted(by_object ^ expected)[:5]))
                compared += len(rows)
    assert disagreements == []
    assert compared > 2000  # every role against the rows of most models, reading and changing


@pytest.mark.django_db
def test_each_role_reaches_what_it_should(world):
    users = world["users"]
    cao_bang_producer = Producer.objects.filter(current_province=world["cao_bang"]).order_by("pk").first()
    ca_mau_producer = Producer.objects.get(name="Hợp tác xã Năm Căn")

    assert access.allows(users["staff"], cao_bang_producer, write=True)
    assert not access.allows(users["staff"], ca_mau_producer)
    assert access.allows(users["other_staff"], ca_mau_producer, write=True)
    assert not access.allows(users["other_staff"], cao_bang_producer)
    # The ministry reads every province and changes nothing.
    assert access.allows(users["ministry"], ca_mau_producer)
    assert not access.allows(users["ministry"], ca_mau_producer, write=True)
    assert access.scoped(Recognition.objects.all(), users["ministry"], write=True).count() == 0
    # An account whose role says staff but that has no organisation reaches nothing (no sentinel province).
    assert access.province_scope(users["staff_without_organisation"]).reach is Reach.NOTHING
    assert access.scoped(Producer.objects.all(), users["staff_without_organisation"]).count() == 0
    # Inactive and anonymous accounts reach nothing.
    for name in ("inactive_staff", "anonymous"):
        assert access.scoped(Producer.objects.all(), users[name]).count() == 0
    # A producer account reaches its own producer only.
    own = users["other_producer"]
    assert list(access.scoped(Producer.objects.all(), own).values_list("pk", flat=True)) == [ca_mau_producer.pk]
    # The seated member reads its council's dossiers, not another province's producers.
    member = users["member"]
    assert access.scoped(world["decision"].round.nominations.all(), member).count() == 3
    assert access.scoped(Producer.objects.all(), member).count() == 0
    # Score sheets are the organiser's and the member's own; never the ministry's or another province's.
    from awards.models import ScoreSheet

    assert access.scoped(ScoreSheet.objects.all(), users["staff"]).count() == 3
    assert access.scoped(ScoreSheet.objects.all(), member).count() == 3
    assert access.scoped(ScoreSheet.objects.all(), users["other_staff"]).count() == 0
    assert access.scoped(ScoreSheet.objects.all(), users["ministry"]).count() == 0
    # Projects and fairs of a province belong to its staff.
    assert set(access.scoped(Project.objects.all(), users["other_staff"]).values_list("code", flat=True)) == {
        "KC-CM-01"
    }
    # Accounts: staff see their province's accounts, never a superuser's, never another province's staff.
    visible = set(access.scoped(User.objects.all(), users["staff"]))
    assert users["superuser"] not in visible
    assert users["other_staff"] not in visible
    assert users["member"] in visible  # seated on a council of Cao Bằng's round


@pytest.mark.django_db
def test_a_nationwide_organisation_manages_region_and_national_rounds_only(world, make_round):  # noqa: F811
    nationwide = world["users"]["nationwide_staff"]
    province_round = world["decision"].round
    national_round = make_round("national")
    assert access.allows(nationwide, national_round, write=True)
    assert not access.allows(nationwide, province_round, write=True)
    assert access.province_scope(nationwide).reach is Reach.NATIONWIDE


def test_fields_that_widen_reach_are_the_superusers_alone(staff_user, superuser):
    reach = ("email", "role", "organization", "producer", "is_superuser", "is_staff", "groups", "user_permissions")
    for field in reach:
        assert not access.may_change_field(staff_user, User, field)
        assert access.may_change_field(superuser, User, field)
    assert not access.may_change_field(staff_user, Organization, "kind")
    assert not access.may_change_field(staff_user, Organization, "province")
    assert access.may_change_field(staff_user, Organization, "phone")
    assert access.may_change_field(staff_user, User, "full_name")


@pytest.mark.django_db
def test_province_selects_are_in_vietnamese_dictionary_order(staff_user):
    names = [unit.name for unit in AdministrativeUnit.objects.provinces()]
    assert len(names) == 34
    assert names.index("Cà Mau") < names.index("Cao Bằng") < names.index("Cần Thơ")
    assert names.index("Điện Biên") > names.index("Đà Nẵng") > names.index("Cần Thơ")
    assert names.index("Điện Biên") < names.index("Gia Lai")
    # A province's staff are offered their province today and the provinces merged into it.
    scoped = list(AdministrativeUnit.objects.provinces(access.province_scope(staff_user), before_reform=True))
    assert [u.name for u in scoped if u.is_current] == ["Cao Bằng"]
    assert {u.successor_id for u in scoped if not u.is_current} <= {scoped[0].pk}
    assert AdministrativeUnit.objects.provinces(access.NOTHING).count() == 0
