"""Reads of the khuyến công project pages: the scoped list with its money annotated, one project's funding
table, its history, and the province summary that reproduces the published figures. Every read here costs a
fixed number of queries, whatever the number of projects."""

import re

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.access import can_read_lists, is_staff, province_scope, scoped
from products.models import AdministrativeUnit, Producer
from products.search import abbreviations_of, query_terms
from products.selectors import history_entries

from .enums import FundingSource, OutputField, ProjectStatus, ProjectStep
from .models import Disbursement, Project, ProjectFunding, ProjectStatusLog

# The amount a summary adds up for a source: the actual amount once the project is settled, else the approved.
COUNTED_AMOUNT = Coalesce(F("actual"), F("approved"))
SUMMARY_OUTPUTS = [f.value for f in OutputField]


def projects_for_staff(user) -> QuerySet[Project]:
    """The projects whose province today is the officer's (those recorded under an old province that merged
    into it included); every project for a superuser; none for anyone else."""
    qs = Project.objects.all()
    return scoped(qs, user) if can_read_lists(user) else qs.none()


def provinces_in_scope(user, *, current_only: bool = False) -> QuerySet[AdministrativeUnit]:
    """Provinces a user records projects for: a province's staff their province today and the old provinces it
    absorbed (a project before 1 July 2025 keeps the old province); a superuser every province."""
    return AdministrativeUnit.objects.provinces(province_scope(user, write=True), before_reform=not current_only)


def producers_for_projects(user) -> QuerySet[Producer]:
    """Producers that may be chosen as beneficiaries: those of the officer's province today."""
    return scoped(Producer.objects.all(), user, write=True)


# -- search ---------------------------------------------------------------------------------------------------------
# Projects have no stored folded text; a folded query word becomes a pattern matching every accented form of its
# letters (and both cases), so "kcdp" finds "KCĐP" and "lap suon" finds "Lạp sườn", the same on SQLite and PostgreSQL.
_VARIANTS = {
    "a": "aàáạảãâầấậẩẫăằắặẳẵ",
    "e": "eèéẹẻẽêềếệểễ",
    "i": "iìíịỉĩ",
    "o": "oòóọỏõôồốộổỗơờớợởỡ",
    "u": "uùúụủũưừứựửữ",
    "y": "yỳýỵỷỹ",
    "d": "dđ",
}


def _pattern(term: str) -> str:
    # A title may spell a legal form either way: "HTX" or "Hợp tác xã".
    spellings = [*abbreviations_of(term), term]
    return f"(?:{'|'.join(_letters(s) for s in spellings)})" if len(spellings) > 1 else _letters(term)


def _letters(term: str) -> str:
    parts = []
    for ch in term:
        if ch.isalpha():
            letters = _VARIANTS.get(ch, ch)
            parts.append(f"[{letters}{letters.upper()}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def project_search(qs: QuerySet[Project], query: str) -> QuerySet[Project]:
    """Every folded word of the query must occur in the code, the title or a beneficiary's name or tax code
    (accent- and case-insensitive; a beneficiary's stored search text has its abbreviations expanded)."""
    condition = Q()
    for term in query_terms(query):  # a legal form is one term, matched in a title spelt either way
        pattern = _pattern(term)
        beneficiary = Producer.objects.filter(extension_projects=OuterRef("pk"), search_text__contains=term)
        condition &= Q(code__regex=pattern) | Q(title__regex=pattern) | Exists(beneficiary)
    return qs.filter(condition)


# -- list and detail ------------------------------------------------------------------------------------------------
def _sum_of(model, field: str, **filters):
    rows = model.objects.filter(project=OuterRef("pk"), **filters).order_by().values("project").annotate(s=Sum(field))
    return Coalesce(Subquery(rows.values("s"), output_field=IntegerField()), Value(0))


# -- the department's next step on a project ------------------------------------------------------------------------
# Tranches are paid from the state budget (the counterpart capital is the beneficiary's own money).
BUDGET_SOURCES = (FundingSource.NATIONAL, FundingSource.LOCAL)
PAYING_STATES = (ProjectStatus.CONTRACTED, ProjectStatus.IMPLEMENTING, ProjectStatus.ACCEPTED)
STEP_CONDITIONS = {
    ProjectStep.APPROVAL: Q(status=ProjectStatus.PROPOSED),
    ProjectStep.CONTRACT: Q(status=ProjectStatus.APPROVED),
    ProjectStep.TRANCHE: Q(status__in=PAYING_STATES, budget_left__gt=0),
    ProjectStep.ACCEPTANCE: Q(status=ProjectStatus.IMPLEMENTING),
    ProjectStep.SETTLEMENT: Q(status=ProjectStatus.ACCEPTED),
}


def with_budget_left(qs: QuerySet[Project]) -> QuerySet[Project]:
    """`budget_left`: the state budget approved for the project and not yet disbursed."""
    approved = _sum_of(ProjectFunding, "approved", source__in=BUDGET_SOURCES)
    paid = _sum_of(Disbursement, "amount", source__in=BUDGET_SOURCES)
    return qs.annotate(budget_left=ExpressionWrapper(approved - paid, output_field=BigIntegerField()))


def projects_at_step(qs: QuerySet[Project], step: str) -> QuerySet[Project]:
    return with_budget_left(qs).filter(STEP_CONDITIONS[ProjectStep(step)])


def project_steps(user) -> dict[str, int]:
    """How many of the projects the user manages wait for each step of the department. Two queries: the steps
    that follow from the status, then the budget left of the projects that may still be paid (only those)."""
    managed = scoped(Project.objects.all(), user, write=True) if is_staff(user) else Project.objects.none()
    by_status = {step: condition for step, condition in STEP_CONDITIONS.items() if step != ProjectStep.TRANCHE}
    counts = managed.aggregate(**{step.value: Count("pk", filter=condition) for step, condition in by_status.items()})
    paying = with_budget_left(managed.filter(status__in=PAYING_STATES))
    counts[ProjectStep.TRANCHE.value] = paying.filter(budget_left__gt=0).count()
    return counts


def project_list(user) -> QuerySet[Project]:
    # Correlated sums rather than JOIN + GROUP BY: evaluated for the page's rows only.
    return (
        projects_for_staff(user)
        .select_related("activity_type", "province", "current_province")
        .annotate(approved_total=_sum_of(ProjectFunding, "approved"), disbursed_total=_sum_of(Disbursement, "amount"))
        .order_by("-plan_year", "code", "id")
    )


def project_detail(user, pk) -> Project:
    return (
        projects_for_staff(user)
        .select_related("activity_type", "province", "current_province", "unit", "managing_body", "created_by")
        .get(pk=pk)
    )


def funding_table(project: Project) -> dict:
    """Per source: approved, disbursed, remaining and actual, with a totals row. Two queries."""
    fundings = {f.source: f for f in project.fundings.all()}
    paid = dict(project.disbursements.order_by().values("source").annotate(s=Sum("amount")).values_list("source", "s"))
    rows = []
    for source in FundingSource:
        funding = fundings.get(source.value)
        if funding is None and not paid.get(source.value):
            continue
        approved = funding.approved if funding else 0
        disbursed = paid.get(source.value) or 0
        rows.append(
            {
                "source": source.value,
                "label": source.label,
                "approved": approved,
                "disbursed": disbursed,
                "remaining": approved - disbursed,
                "actual": funding.actual if funding else None,
            }
        )
    actuals = [r["actual"] for r in rows]
    totals = {
        "approved": sum(r["approved"] for r in rows),
        "disbursed": sum(r["disbursed"] for r in rows),
        "remaining": sum(r["remaining"] for r in rows),
        "actual": sum(actuals) if rows and all(a is not None for a in actuals) else None,
    }
    return {"rows": rows, "totals": totals}


def project_disbursements(project: Project) -> QuerySet[Disbursement]:
    return project.disbursements.select_related("created_by").order_by("paid_on", "pk")


def project_status_log(project: Project) -> QuerySet[ProjectStatusLog]:
    return project.status_log.select_related("actor").order_by("at", "pk")


def project_history(project: Project, limit: int = 100) -> list[dict]:
    """The project's changes, its funding and its disbursements, newest first."""
    entries = (
        history_entries(Project.history.filter(id=project.pk), _("Project"), lambda r: r.code)
        + history_entries(
            ProjectFunding.history.filter(project_id=project.pk), _("Funding"), lambda r: r.get_source_display()
        )
        + history_entries(
            Disbursement.history.filter(project_id=project.pk),
            _("Disbursement"),
            lambda r: f"{r.get_source_display()} {r.paid_on:%d/%m/%Y}",
        )
    )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


# -- the province summary -------------------------------------------------------------------------------------------
def _establishments():
    """Establishments a project supported: its beneficiary_count when the report gave one, else its beneficiaries."""
    linked = (
        Project.beneficiaries.through.objects.filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(F("beneficiary_count"), Subquery(linked, output_field=IntegerField()), Value(0))


def project_summary(projects: QuerySet[Project], flagged_limit: int = 20) -> dict:
    """The figures a province reports for a period, from a filtered queryset of projects: five aggregate queries
    whatever the number of projects. Amounts per source are the actual amounts at settlement where recorded,
    else the approved amounts."""
    keys = projects.order_by().values("pk")
    scoped = Project.objects.filter(pk__in=keys)
    totals = scoped.annotate(establishments_n=_establishments()).aggregate(
        projects=Count("pk"),
        jobs_created=Coalesce(Sum("jobs_created"), 0),
        private_investment=Coalesce(Sum("private_investment"), 0),
        establishments=Coalesce(Sum("establishments_n"), 0),
        flagged=Count("pk", filter=~Q(data_quality_note="")),
        **{name: Coalesce(Sum(name), 0) for name in SUMMARY_OUTPUTS},
    )
    fundings = ProjectFunding.objects.filter(project__in=keys)
    sources = _amounts_by_source(fundings)
    flagged = list(
        scoped.exclude(data_quality_note="")
        .order_by("-plan_year", "code")
        .values("pk", "code", "plan_year")[:flagged_limit]
    )
    return {
        **totals,
        "sources": sources,
        "total_amount": sum(s["amount"] for s in sources),
        "by_type": _by_activity_type(scoped, fundings),
        "flagged_projects": flagged,
        "outputs": {name: totals[name] for name in SUMMARY_OUTPUTS},
    }


def _amounts_by_source(fundings: QuerySet[ProjectFunding]) -> list[dict]:
    by_source_rows = {
        row["source"]: row
        for row in fundings.order_by()
        .values("source")
        .annotate(amount=Sum(COUNTED_AMOUNT), projects=Count("project", distinct=True, filter=Q(approved__gt=0)))
    }
    return [
        {
            "source": s.value,
            "label": s.label,
            "amount": (by_source_rows.get(s.value) or {}).get("amount") or 0,
            "projects": (by_source_rows.get(s.value) or {}).get("projects") or 0,
        }
        for s in FundingSource
    ]


def _by_activity_type(scoped: QuerySet[Project], fundings: QuerySet[ProjectFunding]) -> list[dict]:
    amounts_by_type = dict(
        fundings.order_by()
        .values("project__activity_type")
        .annotate(amount=Sum(COUNTED_AMOUNT))
        .values_list("project__activity_type", "amount")
    )
    type_rows = (
        scoped.order_by()
        .values("activity_type", "activity_type__code", "activity_type__name", "activity_type__order")
        .annotate(projects=Count("pk"), **{name: Sum(name) for name in SUMMARY_OUTPUTS})
        .order_by("activity_type__order", "activity_type__name")
    )
    return [
        {
            "activity_type": row["activity_type"],
            "code": row["activity_type__code"],
            "name": row["activity_type__name"],
            "projects": row["projects"],
            "amount": amounts_by_type.get(row["activity_type"]) or 0,
            "outputs": {name: row[name] or 0 for name in SUMMARY_OUTPUTS},
        }
        for row in type_rows
    ]
