"""OCOP ratings: star bands at every boundary, parts within the criteria set in force, history, reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import OcopRating

DAY = datetime.date(2024, 3, 15)


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_band_at_each_boundary(db, score, stars):
    assert services.stars_for(Decimal(score)) == stars


def test_a_mismatch_between_stars_and_score_is_refused(staff_user, product_a):
    with pytest.raises(ValidationError) as exc:
        services.ocop_rating_record(
            product=product_a, actor=staff_user, stars=4, score="69.5", decision_number="1/QĐ-UBND", decision_date=DAY
        )
    assert exc.value.message_dict["stars"] == ["Điểm 69,5 tương ứng hạng 3 sao, không phải 4 sao."]
    assert not OcopRating.objects.exists()


def test_parts_follow_the_criteria_set_in_force(staff_user, product_a):
    # Since Quyết định 148/QĐ-TTg (2023) part A is out of 40; before it, out of 35.
    rating = services.ocop_rating_record(
        product=product_a,
        actor=staff_user,
        stars=4,
        score="78",
        part_a="38",
        part_b="15",
        part_c="25",
        decision_number="356/QĐ-UBND",
        decision_date=DAY,
    )
    assert rating.criteria_set.code == "qd-148-2023"
    with pytest.raises(ValidationError) as exc:
        services.ocop_rating_record(
            product=product_a,
            actor=staff_user,
            stars=4,
            score="78",
            part_a="38",
            part_b="15",
            part_c="25",
            decision_number="12/QĐ-UBND",
            decision_date=datetime.date(2021, 6, 1),
        )
    assert "part_a" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.ocop_rating_record(
            product=product_a,
            actor=staff_user,
            stars=4,
            score="80",
            part_a="38",
            part_b="15",
            part_c="25",
            decision_number="357/QĐ-UBND",
            decision_date=DAY,
        )
    assert exc.value.message_dict["score"] == ["Tổng các phần là 78, không bằng tổng điểm 80."]


def test_history_is_kept_and_validity_is_36_months(staff_user, product_a):
    first = services.ocop_rating_record(
        product=product_a,
        actor=staff_user,
        stars=3,
        score="62",
        decision_number="1010/QĐ-UBND",
        decision_date=datetime.date(2021, 6, 1),
    )
    second = services.ocop_rating_record(
        product=product_a, actor=staff_user, stars=4, score="75", decision_number="356/QĐ-UBND", decision_date=DAY
    )
    assert first.valid_until == datetime.date(2024, 5, 31)
    assert second.valid_until == datetime.date(2027, 3, 14)
    assert list(product_a.ocop_ratings.values_list("stars", flat=True)) == [4, 3]


def test_five_stars_are_national_and_outsiders_cannot_rate(staff_user, other_staff_user, producer_user, product_a):
    with pytest.raises(ValidationError):
        services.ocop_rating_record(
            product=product_a,
            actor=staff_user,
            stars=5,
            score="92",
            level="province",
            decision_number="1/QĐ",
            decision_date=DAY,
        )
    rating = services.ocop_rating_record(
        product=product_a, actor=staff_user, stars=5, score="92", decision_number="1/QĐ-TTg", decision_date=DAY
    )
    assert rating.level == "national"
    for outsider in (other_staff_user, producer_user):
        with pytest.raises(PermissionDenied):
            services.ocop_rating_record(
                product=product_a, actor=outsider, stars=3, score="60", decision_number="2/QĐ", decision_date=DAY
            )


def test_expiry_reminder_once_per_rating(staff_user, product_a, mailoutbox, django_capture_on_commit_callbacks):
    product_a.producer.email = "htx.tamhoa@example.vn"
    product_a.producer.save()
    services.ocop_rating_record(
        product=product_a,
        actor=staff_user,
        stars=3,
        score="62",
        decision_number="1010/QĐ-UBND",
        decision_date=datetime.date(2021, 6, 1),
    )
    assert services.ocop_expiry_reminders_send(today=datetime.date(2024, 1, 1)) == 0  # 151 days before
    with django_capture_on_commit_callbacks(execute=True):  # the outbox's e-mail leaves on commit
        assert services.ocop_expiry_reminders_send(today=datetime.date(2024, 3, 15)) == 1
    assert mailoutbox[0].to == ["htx.tamhoa@example.vn"]
    assert "31/05/2024" in mailoutbox[0].subject
    assert services.ocop_expiry_reminders_send(today=datetime.date(2024, 3, 16)) == 0


def test_the_daily_command_sends_the_reminders(staff_user, product_a, mailoutbox, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    product_a.producer.email = "htx.tamhoa@example.vn"
    product_a.producer.save()
    today = timezone.localdate()
    services.ocop_rating_record(
        product=product_a,
        actor=staff_user,
        stars=3,
        score="62",
        decision_number="1010/QĐ-UBND",
        decision_date=today - datetime.timedelta(days=365 * 3 - 30),
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_ocop_expiry", stdout=out)
    assert out.getvalue().strip() == "1 reminder(s) sent."
    assert len(mailoutbox) == 1
