"""Numbers typed the Vietnamese way, expired uploads, and closing the scoring too early."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.enums import CouncilRole
from awards.forms import UploadDocumentForm
from awards.models import CriteriaSheet
from portal.accounts.enums import Role
from portal.core.widgets import DecimalCommaField, FastCheckboxSelectMultiple, MoneyField
from tests import factories

from .nomination_helpers import ready_product


@pytest.mark.parametrize(("typed", "value"), [("7,5", Decimal("7.5")), ("7.5", Decimal("7.5")), (" 12 ", Decimal(12))])
def test_scores_accept_a_decimal_comma(typed, value):
    assert DecimalCommaField(max_value=20, decimal_places=2).clean(typed) == value


@pytest.mark.parametrize("typed", ["1e1", "1_0", "５", "1 2", "NaN", "Infinity", "--1", "1,5,5", "7,", ",5"])
def test_scores_are_digits_with_one_decimal_separator(typed):
    """What Python's Decimal reads but nobody types as a score (an exponent, an underscore, full-width digits,
    two numbers side by side) is refused as not a number."""
    with pytest.raises(ValidationError) as refused:
        DecimalCommaField(max_value=20, decimal_places=2).clean(typed)
    assert refused.value.code == "invalid"


def test_score_over_the_maximum_with_a_comma_is_still_refused():
    with pytest.raises(ValidationError):
        DecimalCommaField(max_value=Decimal(5), decimal_places=2).clean("7,5")


@pytest.mark.parametrize("typed", ["1.075.000.000", "1 075 000 000", "1075000000", "1.075.000.000 đồng"])
def test_money_is_read_with_or_without_separators(typed):
    assert MoneyField().clean(typed) == 1_075_000_000


def test_a_long_checkbox_list_shows_each_choice_as_a_labelled_box_and_reads_back_the_ticked_ones():
    """The decision's list of scored dossiers (hundreds of boxes, rendered without a template per box): each
    product's name, escaped, labels its own box; the ones passing are ticked; the ticked ones are what is read."""
    from django import forms

    class Choice(forms.Form):
        products = forms.MultipleChoiceField(
            choices=[("7", "Lạp sườn <Tâm Hòa>"), ("8", "Mắm & ruốc"), ("9", "Chiếu cói")],
            widget=FastCheckboxSelectMultiple,
        )

    html = str(Choice(initial={"products": ["8"]})["products"])
    boxes = re.findall(r'<label for="(id_products_\d)"><input ([^>]*)> ([^<]*)</label>', html)
    assert [(label_for, text) for label_for, _attrs, text in boxes] == [
        ("id_products_0", "Lạp sườn &lt;Tâm Hòa&gt;"),
        ("id_products_1", "Mắm &amp; ruốc"),
        ("id_products_2", "Chiếu cói"),
    ]
    for label_for, attrs, _text in boxes:
        assert f'id="{label_for}"' in attrs
        assert attrs.startswith('type="checkbox" name="products" value="')
    assert [" checked" in attrs for _for, attrs, _text in boxes] == [False, True, False]
    form = Choice({"products": ["7", "9"]})
    assert form.is_valid()
    assert form.cleaned_data["products"] == ["7", "9"]


def test_an_expired_document_cannot_be_uploaded_into_a_dossier():
    form = UploadDocumentForm({"issue_date": "01/01/2020", "expiry_date": "01/01/2021"}, {"file": factories.pdf_file()})
    assert not form.is_valid()
    assert "expiry_date" in form.errors


def test_closing_the_scoring_waits_for_every_jury_member(make_round, producer_a, producer_user, staff_user):
    round_ = make_round("province", publish=True)
    nomination = services.nomination_create(round_=round_, product=ready_product(producer_a), actor=producer_user)
    services.nomination_update_form(
        nomination=nomination,
        actor=producer_user,
        annual_output="1 tấn",
        workers=2,
        markets="Tỉnh",
        highlights="Đặc sản",
        declaration_accepted=True,
    )
    services.nomination_submit(nomination=nomination, actor=producer_user)
    services.nomination_accept(nomination=nomination, actor=staff_user)
    council = services.council_create(
        round_=round_,
        actor=staff_user,
        name="Hội đồng",
        decision_number="1/QĐ",
        decision_date=datetime.date(2026, 11, 1),
        signer="Giám đốc",
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4"),
    )
    first, _second = (
        services.council_member_add(
            council=council, actor=staff_user, role=CouncilRole.MEMBER, user=factories.UserFactory(role=Role.MEMBER)
        )
        for _ in range(2)
    )
    nomination.refresh_from_db()
    leaves = council.criteria_sheet.criteria.filter(children__isnull=True)
    services.sheet_save(member=first, nomination=nomination, submit=True, points={c.pk: c.max_points for c in leaves})
    with pytest.raises(ValidationError) as refused:
        services.scores_finalise(round_=round_, actor=staff_user)
    assert any("1/2" in message for message in refused.value.messages)
    # 1 of 2 sheets is short of the quorum (two-thirds: 2 of 2): closed anyway, the dossier is not scored
    assert services.scores_finalise(round_=round_, actor=staff_user, allow_incomplete=True) == 0
    nomination.refresh_from_db()
    assert nomination.status == "not_scored"
