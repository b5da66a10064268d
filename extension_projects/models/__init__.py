from .codes import ProjectCodeCounter, ProjectCodeRule
from .fairs import Fair, FairParticipation
from .projects import (
    ActivityType,
    Disbursement,
    Project,
    ProjectFunding,
    ProjectStatusLog,
    SupportLimit,
)

__all__ = [
    "ActivityType",
    "Disbursement",
    "Fair",
    "FairParticipation",
    "Project",
    "ProjectCodeCounter",
    "ProjectCodeRule",
    "ProjectFunding",
    "ProjectStatusLog",
    "SupportLimit",
]
