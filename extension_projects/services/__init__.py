"""Every write of the extension_projects app."""

from .fairs import fair_create, participation_record
from .projects import (
    PROJECT_REQUIREMENTS,
    PROJECT_WORKFLOW,
    ProjectError,
    disbursement_add,
    funding_set,
    limit_warnings,
    project_create,
    project_missing,
    project_transition,
    project_update,
)

__all__ = [
    "PROJECT_REQUIREMENTS",
    "PROJECT_WORKFLOW",
    "ProjectError",
    "disbursement_add",
    "fair_create",
    "funding_set",
    "limit_warnings",
    "participation_record",
    "project_create",
    "project_missing",
    "project_transition",
    "project_update",
]
