"""awards.services: creating rounds (area, level validity, phases, copied defaults) and changing their status."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.enums import PhaseKind, RoundStatus
from awards.models import LevelChecklistItem, Round, RoundPhase, RoundStatusLog
from products.models import ProductGroup
from tests import factories

from .helpers import level, ministry_agency, old_district_of, programme, region

D = datetime.date
SPRING_2026 = (D(2026, 3, 1), D(2026, 4, 30))


def create(level_code, *, registration=SPRING_2026, phases=None, **data):
    """round_create with only what the test names (no defaults for the area)."""
    return services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration, **(phases or {})},
        level=level(code=level_code),
        year=registration[0].year,
        title="Bình chọn sản phẩm CNNT tiêu biểu",
        **data,
    )


def cao_bang():
    return factories.province("Cao Bằng")


def cao_bang_department():
    return factories.organization("Cao Bằng")


def refused_on(field, level_code, **data):
    with pytest.raises(ValidationError) as exc:
        create(level_code, **data)
    assert field in exc.value.message_dict
    assert not Round.objects.exists()


# --- round_create: what a new round starts with ---


def test_round_create_makes_a_draft_with_its_registration_phase(db):
    round_ = create("province", province=cao_bang(), organiser=cao_bang_department())

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
    assert list(round_.phases.values_list("kind", "starts_on", "ends_on")) == [(PhaseKind.REGISTRATION, *SPRING_2026)]
    assert not round_.status_log.exists()


def test_round_create_copies_the_level_checklist(db):
    round_ = create("province", province=cao_bang(), organiser=cao_bang_department())

    def rows(items):
        return sorted((i.group_id or 0, i.document_type_id, i.required) for i in items)

    assert rows(round_.checklist.all()) == rows(LevelChecklistItem.objects.filter(level=level("province")))
    assert round_.checklist.filter(document_type__code="registration", group=None, required=True).exists()


def test_round_checklist_is_a_copy_that_leaves_the_level_defaults_alone(db):
    round_ = create("province", province=cao_bang(), organiser=cao_bang_department())

    round_.checklist.filter(document_type__code="registration").update(required=False)

    assert LevelChecklistItem.objects.get(
        level=level("province"), document_type__code="registration", group=None
    ).required


def test_province_round_has_one_group_rule_per_product_group(db):
    round_ = create("province", province=cao_bang(), organiser=cao_bang_department())

    rules = list(round_.group_rules.values_list("group__code", "min_photos", "requires_lower_certificate"))
    assert sorted(rules) == [(code, 3, False) for code in sorted(ProductGroup.objects.values_list("code", flat=True))]
    assert len(rules) == 4


@pytest.mark.parametrize(("level_code", "region_code"), [("region", "bac"), ("national", None)])
def test_region_and_national_rounds_require_a_lower_level_certificate(db, level_code, region_code):
    area = {"region": region(region_code)} if region_code else {}
    round_ = create(level_code, organiser=ministry_agency(), **area)

    rules = list(round_.group_rules.values_list("min_photos", "requires_lower_certificate"))
    assert rules == [(3, True)] * ProductGroup.objects.count()


def test_commune_round_of_a_ward_of_its_province_is_accepted(db):
    ward = factories.ward_of(cao_bang())
    round_ = create("commune", province=cao_bang(), local_unit=ward, organiser=cao_bang_department())
    assert Round.objects.get(pk=round_.pk).local_unit == ward


def test_district_round_of_an_old_district_of_its_province_is_accepted(db):
    district = old_district_of(cao_bang())
    round_ = create(
        "district",
        registration=(D(2024, 3, 1), D(2024, 4, 30)),
        province=cao_bang(),
        local_unit=district,
        organiser=cao_bang_department(),
    )
    assert Round.objects.get(pk=round_.pk).local_unit == district


def test_round_create_keeps_later_phases(db):
    round_ = create(
        "province",
        province=cao_bang(),
        organiser=cao_bang_department(),
        phases={PhaseKind.SCORING: (D(2026, 6, 1), D(2026, 6, 15))},
    )
    assert set(round_.phases.values_list("kind", flat=True)) == {PhaseKind.REGISTRATION, PhaseKind.SCORING}


# --- round_create: area rules ---


def test_province_round_without_province_is_refused(db):
    refused_on("province", "province", organiser=cao_bang_department())


def test_region_round_without_region_is_refused(db):
    refused_on("region", "region", organiser=ministry_agency())


def test_national_round_with_a_province_is_refused(db):
    refused_on("province", "national", province=cao_bang(), organiser=ministry_agency())


def test_province_round_with_a_region_is_refused(db):
    refused_on("region", "province", province=cao_bang(), region=region("bac"), organiser=cao_bang_department())


def test_province_round_with_a_local_unit_is_refused(db):
    refused_on(
        "local_unit",
        "province",
        province=cao_bang(),
        local_unit=factories.ward_of(cao_bang()),
        organiser=cao_bang_department(),
    )


def test_commune_round_without_a_commune_is_refused(db):
    refused_on("local_unit", "commune", province=cao_bang(), organiser=cao_bang_department())


def test_commune_round_with_a_ward_of_another_province_is_refused(db):
    ca_mau_ward = factories.ward_of(factories.province("Cà Mau"))
    refused_on("local_unit", "commune", province=cao_bang(), local_unit=ca_mau_ward, organiser=cao_bang_department())


def test_district_round_with_a_current_ward_instead_of_an_old_district_is_refused(db):
    refused_on(
        "local_unit",
        "district",
        registration=(D(2024, 3, 1), D(2024, 4, 30)),
        province=cao_bang(),
        local_unit=factories.ward_of(cao_bang()),
        organiser=cao_bang_department(),
    )


def test_district_round_with_an_old_district_of_another_province_is_refused(db):
    refused_on(
        "local_unit",
        "district",
        registration=(D(2024, 3, 1), D(2024, 4, 30)),
        province=cao_bang(),
        local_unit=old_district_of(factories.province("Cà Mau")),
        organiser=cao_bang_department(),
    )


# --- round_create: the level must exist when registration starts ---


@pytest.mark.parametrize("starts", [D(2025, 7, 1), D(2026, 3, 1)])
def test_district_round_registering_from_1_july_2025_is_refused(db, starts):
    refused_on(
        "level",
        "district",
        registration=(starts, starts + datetime.timedelta(days=30)),
        province=cao_bang(),
        local_unit=old_district_of(cao_bang()),
        organiser=cao_bang_department(),
    )


def test_district_round_registering_from_30_june_2025_is_accepted(db):
    round_ = create(
        "district",
        registration=(D(2025, 6, 30), D(2025, 7, 31)),
        province=cao_bang(),
        local_unit=old_district_of(cao_bang()),
        organiser=cao_bang_department(),
    )
    assert round_.pk is not None


def test_commune_round_registering_before_1_july_2025_is_refused(db):
    refused_on(
        "level",
        "commune",
        registration=(D(2025, 6, 30), D(2025, 7, 31)),
        province=cao_bang(),
        local_unit=factories.ward_of(cao_bang()),
        organiser=cao_bang_department(),
    )


def test_commune_round_registering_from_1_july_2025_is_accepted(db):
    round_ = create(
        "commune",
        registration=(D(2025, 7, 1), D(2025, 7, 31)),
        province=cao_bang(),
        local_unit=factories.ward_of(cao_bang()),
        organiser=cao_bang_department(),
    )
    assert round_.pk is not None


# --- round_create: phases ---


def test_registration_ending_before_it_starts_is_refused(db):
    with pytest.raises(ValidationError):
        create(
            "province",
            registration=(D(2026, 4, 30), D(2026, 3, 1)),
            province=cao_bang(),
            organiser=cao_bang_department(),
        )
    assert not Round.objects.exists()
    assert not RoundPhase.objects.exists()


def test_later_phase_ending_before_it_starts_is_refused(db):
    with pytest.raises(ValidationError):
        create(
            "province",
            province=cao_bang(),
            organiser=cao_bang_department(),
            phases={PhaseKind.SCREENING: (D(2026, 5, 20), D(2026, 5, 10))},
        )
    assert not Round.objects.exists()


def test_round_without_registration_phase_is_refused(db):
    with pytest.raises(ValidationError):
        services.round_create(
            programme=programme(),
            phases={},
            level=level("province"),
            year=2026,
            title="Bình chọn cấp tỉnh 2026",
            province=cao_bang(),
            organiser=cao_bang_department(),
        )
    assert not Round.objects.exists()


# --- round_update ---


def test_round_update_changes_fields_and_replaces_phases(db):
    round_ = create(
        "province",
        province=cao_bang(),
        organiser=cao_bang_department(),
        phases={PhaseKind.SCORING: (D(2026, 6, 1), D(2026, 6, 15))},
    )

    services.round_update(
        round_=round_,
        phases={PhaseKind.REGISTRATION: (D(2026, 3, 1), D(2026, 5, 15))},
        title="Bình chọn cấp tỉnh năm 2026 (gia hạn)",
    )

    round_.refresh_from_db()
    assert round_.title == "Bình chọn cấp tỉnh năm 2026 (gia hạn)"
    assert list(round_.phases.values_list("kind", "ends_on")) == [(PhaseKind.REGISTRATION, D(2026, 5, 15))]


def test_round_update_applies_the_area_rules(db):
    round_ = create("province", province=cao_bang(), organiser=cao_bang_department())

    with pytest.raises(ValidationError) as exc:
        services.round_update(round_=round_, phases={PhaseKind.REGISTRATION: SPRING_2026}, province=None)

    assert "province" in exc.value.message_dict
    assert Round.objects.get(pk=round_.pk).province == cao_bang()


# --- round_set_status ---


@pytest.fixture
def draft_round(db):
    return create("province", province=cao_bang(), organiser=cao_bang_department())


def set_status(round_, to, actor):
    return services.round_set_status(round_=round_, to=to, actor=actor)


def test_publishing_a_draft_round_writes_the_status_log(draft_round, staff_user):
    services.round_set_status(round_=draft_round, to=RoundStatus.PUBLISHED, actor=staff_user, note="Đã duyệt")

    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.PUBLISHED
    log = RoundStatusLog.objects.get(round=draft_round)
    assert (log.actor, log.from_status, log.to_status, log.note) == (
        staff_user,
        RoundStatus.DRAFT,
        RoundStatus.PUBLISHED,
        "Đã duyệt",
    )


def test_publishing_accepts_the_status_as_posted_text(draft_round, staff_user):
    set_status(draft_round, "published", staff_user)
    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.PUBLISHED


def test_closing_a_published_round_is_allowed(draft_round, staff_user):
    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    set_status(draft_round, RoundStatus.CLOSED, staff_user)

    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.CLOSED
    assert list(draft_round.status_log.values_list("from_status", "to_status")) == [
        (RoundStatus.PUBLISHED, RoundStatus.CLOSED),
        (RoundStatus.DRAFT, RoundStatus.PUBLISHED),
    ]


def test_reopening_a_closed_round_is_allowed(draft_round, staff_user):
    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)
    set_status(draft_round, RoundStatus.CLOSED, staff_user)

    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.PUBLISHED
    assert draft_round.status_log.count() == 3


def test_closing_a_draft_round_is_refused_and_changes_nothing(draft_round, staff_user):
    with pytest.raises(ValidationError):
        set_status(draft_round, RoundStatus.CLOSED, staff_user)

    assert draft_round.status == RoundStatus.DRAFT
    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.DRAFT
    assert not RoundStatusLog.objects.exists()


def test_taking_a_published_round_back_to_draft_is_refused(draft_round, staff_user):
    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    with pytest.raises(ValidationError):
        set_status(draft_round, RoundStatus.DRAFT, staff_user)

    assert Round.objects.get(pk=draft_round.pk).status == RoundStatus.PUBLISHED
    assert RoundStatusLog.objects.count() == 1


def test_publishing_a_published_round_again_is_refused(draft_round, staff_user):
    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    with pytest.raises(ValidationError):
        set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    assert RoundStatusLog.objects.count() == 1


def test_status_change_checks_the_stored_status_not_a_stale_copy(draft_round, staff_user):
    stale = Round.objects.get(pk=draft_round.pk)
    set_status(draft_round, RoundStatus.PUBLISHED, staff_user)

    with pytest.raises(ValidationError):
        set_status(stale, RoundStatus.PUBLISHED, staff_user)

    assert RoundStatusLog.objects.count() == 1
