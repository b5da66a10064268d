"""The round's checklist and photo rules page: staff of the organising province edit them there (no admin);
an item a dossier already uses cannot be removed nor repointed; a closed round's checklist stays as it was."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.enums import RoundStatus
from awards.models import NominationDocument, RoundChecklistItem, RoundGroupRule
from products.models import DocumentType, ProductGroup

from ..nomination_helpers import draft, ready_product


def url(round_):
    return reverse("awards:staff.round.checklist", args=[round_.pk])


def formset_post(round_, *, changes=None, new=None, remove=()):
    """The page's POST as the browser sends it: every existing row, `changes` per item pk, one new row."""
    items = list(round_.checklist.all())
    rules = list(round_.group_rules.all())
    data = {
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        row = {
            "id": item.pk,
            "order": item.order,
            "document_type": item.document_type_id,
            "group": item.group_id or "",
            **({"required": "on"} if item.required else {}),
            **(changes or {}).get(item.pk, {}),
        }
        if item.pk in remove:
            row["DELETE"] = "on"
        data.update({f"items-{i}-{k}": v for k, v in row.items() if v is not None})
    for k, v in (new or {}).items():
        data[f"items-{len(items)}-{k}"] = v
    for i, rule in enumerate(rules):
        data[f"rules-{i}-id"] = rule.pk
        data[f"rules-{i}-min_photos"] = rule.min_photos
        if rule.requires_lower_certificate:
            data[f"rules-{i}-requires_lower_certificate"] = "on"
    return data


def snapshot(round_):
    return (
        sorted(round_.checklist.values_list("pk", "document_type_id", "group_id", "required", "order")),
        sorted(round_.group_rules.values_list("pk", "min_photos", "requires_lower_certificate")),
    )


@pytest.fixture
def round_(make_round):
    return make_round("province", title="Cấp tỉnh Cao Bằng 2026")


def unused_type(round_):
    return DocumentType.objects.exclude(pk__in=round_.checklist.values("document_type")).first()


def test_round_page_links_to_the_checklist_page_not_the_admin(client, staff_user, round_):
    client.force_login(staff_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert url(round_) in page
    assert "Sửa danh mục hồ sơ và quy định ảnh" in page
    assert reverse("admin:awards_round_change", args=[round_.pk]) not in page


def test_checklist_page_shows_the_items_in_vietnamese(client, staff_user, round_):
    client.force_login(staff_user)
    response = client.get(url(round_))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Danh mục hồ sơ và quy định ảnh" in page
    assert "Số ảnh tối thiểu" in page


def test_staff_add_reorder_and_set_photo_rules(client, staff_user, round_):
    client.force_login(staff_user)
    first = round_.checklist.first()
    extra = unused_type(round_)
    data = formset_post(
        round_, changes={first.pk: {"order": 5}}, new={"document_type": extra.pk, "order": "1", "required": "on"}
    )
    rule = round_.group_rules.first()
    index = list(round_.group_rules.all()).index(rule)
    data[f"rules-{index}-min_photos"] = "5"

    response = client.post(url(round_), data)

    assert response.status_code == 302
    added = RoundChecklistItem.objects.get(round=round_, document_type=extra)
    assert added.required
    assert added.order == 1
    assert RoundChecklistItem.objects.get(pk=first.pk).order == 5
    assert list(round_.checklist.all())[-1].pk == first.pk  # the order numbers lead
    assert RoundGroupRule.objects.get(pk=rule.pk).min_photos == 5


def test_staff_remove_an_unused_item(client, staff_user, round_):
    client.force_login(staff_user)
    item = round_.checklist.first()
    assert client.post(url(round_), formset_post(round_, remove=[item.pk])).status_code == 302
    assert not RoundChecklistItem.objects.filter(pk=item.pk).exists()


@pytest.fixture
def used_item(make_round, producer_a, producer_user):
    round_ = make_round("province", title="Cấp tỉnh Cao Bằng (đang mở)", publish=True)
    nomination = draft(round_, ready_product(producer_a), producer_user)
    return NominationDocument.objects.filter(nomination=nomination).select_related("item").first().item


def test_an_item_dossiers_use_cannot_be_removed(client, staff_user, used_item):
    round_ = used_item.round
    client.force_login(staff_user)
    before = snapshot(round_)

    response = client.post(url(round_), formset_post(round_, remove=[used_item.pk]))

    assert response.status_code == 400
    assert "không thể xoá" in response.content.decode()
    assert snapshot(round_) == before


def test_an_item_dossiers_use_keeps_its_document_type(client, staff_user, used_item):
    round_ = used_item.round
    client.force_login(staff_user)
    before = snapshot(round_)
    other = unused_type(round_)

    response = client.post(url(round_), formset_post(round_, changes={used_item.pk: {"document_type": other.pk}}))

    assert response.status_code == 400
    assert "giữ nguyên loại giấy tờ" in response.content.decode()
    assert snapshot(round_) == before


def test_an_item_dossiers_use_may_still_move_and_become_optional(client, staff_user, used_item):
    round_ = used_item.round
    client.force_login(staff_user)
    changes = {used_item.pk: {"order": 9, "required": None}}
    data = formset_post(round_, changes=changes)
    data = {k: v for k, v in data.items() if v is not None}
    assert client.post(url(round_), data).status_code == 302
    item = RoundChecklistItem.objects.get(pk=used_item.pk)
    assert item.order == 9
    assert not item.required


def test_a_closed_round_refuses_changes(client, staff_user, round_):
    services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=staff_user)
    services.round_set_status(round_=round_, to=RoundStatus.CLOSED, actor=staff_user)
    client.force_login(staff_user)
    before = snapshot(round_)

    response = client.post(url(round_), formset_post(round_, new={"document_type": unused_type(round_).pk}))

    assert response.status_code == 400
    assert "Đợt đã đóng" in response.content.decode()
    assert snapshot(round_) == before


def test_a_duplicate_item_is_refused_and_nothing_changes(client, staff_user, round_):
    client.force_login(staff_user)
    first = round_.checklist.first()
    before = snapshot(round_)
    data = formset_post(
        round_,
        changes={first.pk: {"order": 7}},
        new={"document_type": first.document_type_id, "group": first.group_id or ""},
    )
    assert client.post(url(round_), data).status_code == 400
    assert snapshot(round_) == before


def test_another_provinces_staff_get_404_and_change_nothing(client, other_staff_user, round_):
    client.force_login(other_staff_user)
    before = snapshot(round_)
    assert client.get(url(round_)).status_code == 404
    assert client.post(url(round_), formset_post(round_, remove=[round_.checklist.first().pk])).status_code == 404
    assert snapshot(round_) == before


def test_the_page_reads_the_same_number_of_queries_whatever_the_checklist(client, staff_user, round_):
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(round_)).status_code == 200
    groups = list(ProductGroup.objects.all()[:6])
    assert len(groups) >= 3
    extra = unused_type(round_)
    for group in groups:  # one more item per product group
        RoundChecklistItem.objects.create(round=round_, document_type=extra, group=group, order=4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(round_)).status_code == 200
    assert len(many) == len(few)


def test_once_registration_started_a_new_item_is_optional_only(client, staff_user, used_item):
    round_ = used_item.round
    client.force_login(staff_user)
    extra = unused_type(round_)
    before = snapshot(round_)

    refused = client.post(url(round_), formset_post(round_, new={"document_type": extra.pk, "required": "on"}))

    assert refused.status_code == 400
    assert "“Hồ sơ, giấy phép về bảo vệ môi trường” chỉ được thêm" in refused.content.decode()
    assert "mục mới chỉ được để không bắt buộc" in refused.content.decode()
    assert snapshot(round_) == before
    assert client.post(url(round_), formset_post(round_, new={"document_type": extra.pk})).status_code == 302
    assert not RoundChecklistItem.objects.get(round=round_, document_type=extra).required
