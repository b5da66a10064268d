"""Every write of the extension_projects app."""

from .codes import code_preview, code_rule_for, department_of, project_code_next, project_code_rule_set
from .fairs import fair_create, participation_record
from .projects import (
    PROJECT_REQUIREMENTS,
    PROJECT_WORKFLOW,
    ProjectError,
    can_cancel,
    disbursement_add,
    funding_set,
    limit_warnings,
    project_cancel,
    project_create,
    project_missing,
    project_transition,
    project_update,
)

__all__ = [
    "PROJECT_REQUIREMENTS",
    "PROJECT_WORKFLOW",
    "ProjectError",
    "can_cancel",
    "code_preview",
    "code_rule_for",
    "department_of",
    "disbursement_add",
    "fair_create",
    "funding_set",
    "limit_warnings",
    "participation_record",
    "project_cancel",
    "project_code_next",
    "project_code_rule_set",
    "project_create",
    "project_missing",
    "project_transition",
    "project_update",
]
