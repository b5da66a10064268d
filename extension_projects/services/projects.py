"""Projects: creation, funding per source, disbursements, and the lifecycle through one transition function.

Amounts are integer VND. A disbursement that would take the paid total of its source above the approved amount
is refused with the figures; support above the limit of the activity type is a warning the officer confirms
with a note."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.formatting import vnd
from portal.core.workflow import SYSTEM, Requirement, Workflow, acting_user, transition
from products.validators import stored_upload

from ..access import can_manage_province
from ..enums import PROJECT_TRANSITIONS, FundingSource, OutputField, ProjectStatus
from ..models import Disbursement, Project, ProjectFunding, ProjectStatusLog, SupportLimit
from .codes import project_code_next


class ProjectError(ValidationError):
    pass


def _require(actor, province_today_id):
    allowed, reason = can_manage_province(actor, province_today_id)
    if not allowed:
        raise PermissionDenied(reason)


PROJECT_FIELDS = {
    "code",
    "title",
    "activity_type",
    "plan_year",
    "province",
    "unit",
    "implementer",
    "managing_body",
    "beneficiary_count",
    "approval_number",
    "approval_date",
    "contract_number",
    "contract_date",
    "data_quality_note",
}


@transaction.atomic
def project_create(*, actor, beneficiaries=(), funding=None, limit_note: str = "", **data) -> Project:
    """Create a proposed project with its approved amounts per source ({source: amount}). Without a code, the
    department's code rule gives the next one (services.codes)."""
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    author = acting_user(actor)
    project = Project(created_by=author, limit_note=limit_note, **data)
    project.current_province_id = project.province.today_province_id if project.province_id else None
    if actor is not SYSTEM:
        _require(actor, project.current_province_id)
    if not project.code.strip() and project.plan_year:
        project.code = project_code_next(province_today_id=project.current_province_id, year=project.plan_year)
    project.full_clean(exclude=["current_province"])
    project.save()
    project.beneficiaries.set(beneficiaries)
    for source, amount in (funding or {}).items():
        funding_set(project=project, actor=actor, source=source, approved=amount, check_limits=False)
    _check_limits(project, limit_note)
    ProjectStatusLog.objects.create(project=project, to_status=project.status, actor=author)
    return project


@transaction.atomic
def project_update(*, project: Project, actor, beneficiaries=None, **data) -> Project:
    _require(actor, project.current_province_id)
    if project.status in (ProjectStatus.SETTLED, ProjectStatus.CANCELLED):
        raise ValidationError(_("A settled or cancelled project can no longer be changed."))
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(project, key, value)
    project.full_clean(exclude=["current_province"])
    project.save()
    if beneficiaries is not None:
        project.beneficiaries.set(beneficiaries)
    return project


def limit_warnings(project: Project, source: str, amount: int) -> list[str]:
    """The support limits of the project's activity type, source and plan year that `amount` exceeds."""
    limit = SupportLimit.objects.filter(
        activity_type_id=project.activity_type_id, source=source, plan_year=project.plan_year
    ).first()
    if limit is None:
        return []
    warnings = []
    establishments = max(project.beneficiaries.count(), project.beneficiary_count or 0, 1)
    if limit.max_amount is not None and amount > limit.max_amount * establishments:
        warnings.append(
            _("%(amount)s exceeds the limit of %(limit)s per establishment for this activity type (%(year)s).")
            % {"amount": vnd(amount), "limit": vnd(limit.max_amount), "year": project.plan_year}
        )
    if limit.max_share_percent is not None:
        total = sum(project.fundings.exclude(source=source).values_list("approved", flat=True), amount)
        if total and amount * 100 > total * limit.max_share_percent:
            warnings.append(
                _("%(amount)s is more than %(pct)s%% of the project's total cost of %(total)s.")
                % {"amount": vnd(amount), "pct": limit.max_share_percent, "total": vnd(total)}
            )
    return warnings


def _check_limits(project: Project, limit_note: str) -> None:
    """Support above a limit of the activity type needs the officer's note (kept on the project)."""
    warnings = []
    for funding in project.fundings.exclude(source=FundingSource.COUNTERPART):
        warnings += limit_warnings(project, funding.source, funding.approved)
    if not warnings:
        return
    if not (limit_note or project.limit_note).strip():
        raise ValidationError({"limit_note": [*warnings, _("Confirm with a note why the limit is exceeded.")]})
    if limit_note.strip():
        project.limit_note = limit_note.strip()
        project.save(update_fields=["limit_note", "updated_at"])


@transaction.atomic
def funding_set(
    *, project: Project, actor, source: str, approved: int, limit_note: str = "", check_limits: bool = True
) -> ProjectFunding:
    """Set the approved amount of a source. Above a support limit it needs a note; below the amount already
    disbursed from the source it is refused."""
    if actor is not SYSTEM:
        _require(acting_user(actor), project.current_province_id)
    if source not in FundingSource.values:
        raise ValidationError({"source": _("Unknown funding source.")})
    approved = int(approved)
    if approved < 0:
        raise ValidationError({"approved": _("An amount cannot be negative.")})
    paid = project.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or 0
    if approved < paid:
        raise ValidationError(
            {
                "approved": _(
                    "%(paid)s has already been disbursed from this source; the approved amount cannot be lower."
                )
                % {"paid": vnd(paid)}
            }
        )
    funding, _created = ProjectFunding.objects.update_or_create(
        project=project, source=source, defaults={"approved": approved}
    )
    if check_limits:
        _check_limits(project, limit_note)
    return funding


@transaction.atomic
def disbursement_add(
    *,
    project: Project,
    actor,
    source: str,
    amount: int,
    paid_on: datetime.date,
    reference: str = "",
    note: str = "",
    document=None,
) -> Disbursement:
    _require(actor, project.current_province_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in (ProjectStatus.CONTRACTED, ProjectStatus.IMPLEMENTING, ProjectStatus.ACCEPTED):
        raise ValidationError(_("Money is disbursed once the project is contracted, until it is settled."))
    amount = int(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0.")})
    funding = project.fundings.filter(source=source).first()
    approved = funding.approved if funding else 0
    paid = project.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or 0
    if paid + amount > approved:
        raise ValidationError(
            {
                "amount": _(
                    "This tranche would exceed the approved amount: approved %(approved)s, already disbursed "
                    "%(paid)s, this tranche %(amount)s, at most %(left)s can still be disbursed from this source."
                )
                % {"approved": vnd(approved), "paid": vnd(paid), "amount": vnd(amount), "left": vnd(approved - paid)}
            }
        )
    disbursement = Disbursement(
        project=project,
        source=source,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        note=note,
        created_by=actor,
    )
    if document is not None:
        disbursement.content_type, disbursement.document = stored_upload(document, stem="document")
    disbursement.full_clean()
    disbursement.save()
    return disbursement


def _approval(project: Project) -> list[str]:
    missing = []
    if not project.approval_number or not project.approval_date:
        missing.append(_("the approval decision (number and date)"))
    if not project.fundings.filter(approved__gt=0).exists():
        missing.append(_("an approved amount from at least one source"))
    return missing


def _contract(project: Project) -> list[str]:
    return [] if project.contract_number and project.contract_date else [_("the contract (number and date)")]


def _acceptance(project: Project) -> list[str]:
    missing = []
    if not project.accepted_on:
        missing.append(_("the acceptance date"))
    if not project.acceptance_committee.strip():
        missing.append(_("the acceptance committee"))
    for field in project.activity_type.output_fields():
        if getattr(project, field) is None:
            missing.append(_("the output “%(name)s”") % {"name": Project._meta.get_field(field).verbose_name})
    return missing


def _settlement(project: Project) -> list[str]:
    missing = []
    if not project.settled_on:
        missing.append(_("the settlement date"))
    if project.fundings.filter(actual__isnull=True).exists():
        missing.append(_("the actual amount of every source"))
    return missing


def _cancellation(project: Project) -> list[str]:
    return [] if project.cancel_reason.strip() else [_("the reason for cancellation")]


def _manages(actor, project: Project) -> tuple[bool, str]:
    return can_manage_province(actor, project.current_province_id)


# What each state records (the fields a move to it sets, and the transition form asks for) and what it needs:
# the service, the form and the "still needed" lines of the project page all read this one table.
PROJECT_REQUIREMENTS = {
    ProjectStatus.APPROVED: Requirement(fields=("approval_number", "approval_date"), checks=(_approval,)),
    ProjectStatus.CONTRACTED: Requirement(fields=("contract_number", "contract_date"), checks=(_contract,)),
    ProjectStatus.ACCEPTED: Requirement(
        fields=("accepted_on", "acceptance_committee", *OutputField.values, "jobs_created", "private_investment"),
        checks=(_acceptance,),
    ),
    ProjectStatus.SETTLED: Requirement(fields=("settled_on",), checks=(_settlement,)),
    ProjectStatus.CANCELLED: Requirement(fields=("cancel_reason",), checks=(_cancellation,)),
}

PROJECT_WORKFLOW = Workflow(
    model=Project,
    moves={(frm, to): {_manages} for frm, targets in PROJECT_TRANSITIONS.items() for to in targets},
    refusal=gettext_lazy("A project cannot go from “%(from)s” to “%(to)s”."),
    log_model=ProjectStatusLog,
    requirements=PROJECT_REQUIREMENTS,
    touch=("updated_at",),
    clean_exclude=("current_province",),
)


def project_missing(project: Project, to: str) -> list[str]:
    """What a project still needs before it can move to `to` (shown on its page; the transition refuses)."""
    return PROJECT_WORKFLOW.missing(project, to)


def _settle(project: Project, actual: dict) -> None:
    """Record the settled amount of each source: not above the approved amount, not below what was paid."""
    for source, amount in actual.items():
        amount = int(amount)
        funding = project.fundings.filter(source=source).first()
        if funding is None:
            raise ValidationError(_("The project has no approved amount from this source."))
        paid = project.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or 0
        if amount > funding.approved:
            raise ValidationError(
                _("The actual amount %(actual)s of %(source)s exceeds the approved %(approved)s.")
                % {"actual": vnd(amount), "source": funding.get_source_display(), "approved": vnd(funding.approved)}
            )
        if amount < paid:
            raise ValidationError(
                _("The actual amount %(actual)s of %(source)s is below what was disbursed (%(paid)s).")
                % {"actual": vnd(amount), "source": funding.get_source_display(), "paid": vnd(paid)}
            )
        funding.actual = amount
        funding.save(update_fields=["actual"])


def project_transition(*, project: Project, to: str, actor, note: str = "", actual=None, **data) -> Project:
    """The one way a project changes status. `data` carries the facts the new state records (approval,
    contract, acceptance outputs, settlement date, cancellation reason); `actual` maps sources to the
    settled amounts. Refused, with what is missing, unless every requirement is met."""
    settle = (lambda locked: _settle(locked, actual or {})) if to == ProjectStatus.SETTLED else None
    return transition(project, to, workflow=PROJECT_WORKFLOW, actor=actor, note=note, fields=data, prepare=settle)


def project_cancel(*, project: Project, actor, reason: str) -> Project:
    """Cancel a project, with the reason kept on the project and in its status log. Refused (nothing changes)
    for a project that is accepted, settled or already cancelled: the transitions table has no such move."""
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Give the reason for cancelling the project.")})
    return project_transition(
        project=project, to=ProjectStatus.CANCELLED, actor=actor, note=reason.strip(), cancel_reason=reason.strip()
    )


def can_cancel(project: Project) -> bool:
    return ProjectStatus.CANCELLED in PROJECT_TRANSITIONS[project.status]
