"""What a council member scores from: the criteria sheet in its groups, and the dossier's facts each group is
scored on (the group's `facts`, data of the criteria sheet)."""

from django.utils.translation import gettext as _

from portal.core.formatting import vnd

from ..enums import DossierFact
from ..models import Criterion


def sheet_groups(criteria_sheet) -> tuple[list[Criterion], list[Criterion]]:
    """The sheet's criterion groups in order, each with its sub-criteria as `.leaves`, and every sub-criterion
    in order (the scored ones). One query. `criteria_sheet`: the CriteriaSheet or its pk."""
    criteria = list(Criterion.objects.filter(sheet=criteria_sheet).order_by("order", "code"))
    groups = [c for c in criteria if c.parent_id is None]
    by_pk = {g.pk: g for g in groups}
    for group in groups:
        group.leaves = []
    for criterion in criteria:
        if criterion.parent_id is not None:
            criterion.parent = by_pk[criterion.parent_id]
            criterion.parent.leaves.append(criterion)
    for group in groups:
        if not group.leaves:
            group.leaves = [group]  # a group without sub-criteria is scored as it stands
    return groups, [leaf for group in groups for leaf in group.leaves]


def _text(label, value):
    return {"label": label, "value": value if value not in (None, "") else "—"}


def dossier_facts(nomination, checklist: list[dict], photos: list) -> dict[str, dict]:
    """Every fact the sheet can show, by DossierFact key: {"label", "rows": [{"label", "value"}], "documents",
    "photos"}. No query beyond the already loaded nomination, product and producer."""
    product, producer = nomination.product, nomination.producer
    rows = {
        DossierFact.LABOUR: [
            _text(_("Workers making the product"), nomination.workers),
            _text(_("Workers of the establishment"), producer.workers),
        ],
        DossierFact.RAW_MATERIALS: [_text(_("Raw materials and where they come from"), nomination.materials)],
        DossierFact.CAPACITY: [
            _text(_("Annual output"), nomination.annual_output),
            _text(_("Annual revenue"), vnd(nomination.annual_revenue) if nomination.annual_revenue else ""),
        ],
        DossierFact.MARKET: [_text(_("Markets and sales channels"), nomination.markets)],
        DossierFact.DESCRIPTION: [
            _text(_("Product description"), product.description),
            _text(_("What makes the product typical"), nomination.highlights),
        ],
    }
    facts = {key: {"key": key, "label": DossierFact(key).label, "rows": rows.get(key, [])} for key in DossierFact}
    facts[DossierFact.PHOTOS]["photos"] = photos
    facts[DossierFact.DOCUMENTS]["documents"] = [row for row in checklist if row["document"]]
    return facts


def group_facts(groups: list[Criterion], facts: dict[str, dict]) -> list[dict]:
    """The facts no group shows, so that nothing of the dossier is hidden from the member; each group gets its
    own as `.fact_panels`."""
    shown = set()
    for group in groups:
        group.fact_panels = [facts[key] for key in group.facts if key in facts]
        shown.update(group.facts)
    return [panel for key, panel in facts.items() if key not in shown]
