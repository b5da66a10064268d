"""Projects: creation, funding per source, disbursements, and the lifecycle through one transition function.

Amounts are integer VND. A disbursement that would take the paid total of its source above the approved amount
is refused with the figures; support above the limit of the activity type is a warning the officer confirms
with a note."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.core.formatting import vnd
from products.validators import stored_upload

from ..access import can_manage_province
from ..enums import PROJECT_TRANSITIONS, FundingSource, ProjectStatus
from ..models import Disbursement, Project, ProjectFunding, ProjectStatusLog, SupportLimit


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
    """Create a proposed project with its approved amounts per source ({source: amount})."""
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    project = Project(created_by=actor, limit_note=limit_note, **data)
    project.current_province_id = project.province.today_province_id if project.province_id else None
    if actor is not None:
        _require(actor, project.current_province_id)
    project.full_clean(exclude=["current_province"])
    project.save()
    project.beneficiaries.set(beneficiaries)
    for source, amount in (funding or {}).items():
        funding_set(project=project, actor=actor, source=source, approved=amount, check_limits=False)
    _check_limits(project, limit_note)
    ProjectStatusLog.objects.create(project=project, to_status=project.status, by=actor)
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
    if actor is not None:
        _require(actor, project.current_province_id)
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


def project_missing(project: Project, to: str) -> list[str]:
    """What a project still needs before it can move to `to` (shown on its page; the transition refuses)."""
    missing = []
    if to == ProjectStatus.APPROVED:
        if not project.approval_number or not project.approval_date:
            missing.append(_("the approval decision (number and date)"))
        if not project.fundings.filter(approved__gt=0).exists():
            missing.append(_("an approved amount from at least one source"))
    elif to == ProjectStatus.CONTRACTED:
        if not project.contract_number or not project.contract_date:
            missing.append(_("the contract (number and date)"))
    elif to == ProjectStatus.ACCEPTED:
        if not project.accepted_on:
            missing.append(_("the acceptance date"))
        if not project.acceptance_committee.strip():
            missing.append(_("the acceptance committee"))
        for field in project.activity_type.output_fields():
            if getattr(project, field) is None:
                missing.append(_("the output “%(name)s”") % {"name": Project._meta.get_field(field).verbose_name})
    elif to == ProjectStatus.SETTLED:
        if not project.settled_on:
            missing.append(_("the settlement date"))
        if project.fundings.filter(actual__isnull=True).exists():
            missing.append(_("the actual amount of every source"))
    elif to == ProjectStatus.CANCELLED and not project.cancel_reason.strip():
        missing.append(_("the reason for cancellation"))
    return missing


ACCEPTANCE_FIELDS = {
    "accepted_on",
    "acceptance_committee",
    "trainees",
    "workers_trained",
    "courses",
    "machines",
    "trademarks",
    "booths",
    "jobs_created",
    "private_investment",
}


@transaction.atomic
def project_transition(*, project: Project, to: str, actor, note: str = "", actual=None, **data) -> Project:
    """The one way a project changes status. `data` carries the facts the new state records (approval,
    contract, acceptance outputs, settlement date, cancellation reason); `actual` maps sources to the
    settled amounts. Refused, with what is missing, unless every requirement is met."""
    _require(actor, project.current_province_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to not in PROJECT_TRANSITIONS.get(project.status, set()):
        raise ValidationError(
            _("A project cannot go from “%(from)s” to “%(to)s”.")
            % {"from": ProjectStatus(project.status).label, "to": ProjectStatus(to).label}
        )
    allowed = {
        ProjectStatus.APPROVED: {"approval_number", "approval_date"},
        ProjectStatus.CONTRACTED: {"contract_number", "contract_date"},
        ProjectStatus.ACCEPTED: ACCEPTANCE_FIELDS,
        ProjectStatus.SETTLED: {"settled_on"},
        ProjectStatus.CANCELLED: {"cancel_reason"},
    }.get(to, set())
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"fields not recorded by this transition: {sorted(unknown)}")
    for key, value in data.items():
        setattr(project, key, value)
    if to == ProjectStatus.SETTLED:
        for source, amount in (actual or {}).items():
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
    missing = project_missing(project, to)
    if missing:
        raise ValidationError(_("Still needed: %(items)s.") % {"items": "; ".join(str(m) for m in missing)})
    previous = project.status
    project.status = to
    project.full_clean(exclude=["current_province"])
    project.save()
    ProjectStatusLog.objects.create(project=project, from_status=previous, to_status=to, note=note, by=actor)
    return project
