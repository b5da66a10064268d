"""The dossier part value type: the stored strings it reads and writes, identity and labels."""

import pytest

from awards.dossier import DECLARATION_PART, PHOTOS_PART, DossierPart, parts_of
from awards.selectors import labelled_parts


@pytest.mark.parametrize("text", ["field:annual_revenue", "doc:3", "photos", "declaration", "eligibility"])
def test_a_stored_string_reads_and_writes_back_unchanged(text):
    assert str(DossierPart.parse(text)) == text


@pytest.mark.parametrize("text", ["quota", "phase", "field:", "doc", "photos:1", "", "nonsense:x"])
def test_a_string_that_names_no_part_parses_to_none(text):
    assert DossierPart.parse(text) is None


def test_constructors_name_the_same_parts_as_the_stored_strings():
    assert DossierPart.form_field("annual_output") == DossierPart.parse("field:annual_output")
    assert DossierPart.document(7) == DossierPart.parse("doc:7")
    assert DossierPart.document(7).item_id == 7
    assert DossierPart.form_field("x").item_id is None
    assert DossierPart.parse("photos") == PHOTOS_PART


def test_the_label_is_not_part_of_the_identity():
    labelled = DossierPart.form_field("annual_output", "Form: Annual output")
    assert labelled == DossierPart.form_field("annual_output")
    assert labelled in {DossierPart.form_field("annual_output")}
    assert str(labelled) == "field:annual_output"


def test_a_part_is_immutable():
    with pytest.raises(AttributeError):
        PHOTOS_PART.kind = "doc"  # type: ignore[misc]


def test_parts_of_stored_items_leaves_unknown_strings_out():
    assert parts_of(["field:annual_output", "photos", "quota"]) == {
        DossierPart.form_field("annual_output"),
        PHOTOS_PART,
    }


def test_labelled_parts_keep_the_stored_order_and_fall_back_to_the_string():
    known = [PHOTOS_PART.with_label("Ảnh"), DECLARATION_PART.with_label("Cam kết")]
    parts = labelled_parts(["declaration", "doc:99", "photos"], known)
    assert [(str(p), p.label) for p in parts] == [("declaration", "Cam kết"), ("doc:99", "doc:99"), ("photos", "Ảnh")]
