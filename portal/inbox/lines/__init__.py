"""The inbox's line kinds, in the order the page shows them (see base.LineKind)."""

from .base import Inbox, Line, LineKind
from .councils import CouncilLines
from .exports import ExportLines
from .ocop import OcopLines
from .phases import PhaseLines
from .projects import ProjectLines
from .scoring import ScoringLines
from .screening import CorrectionLines, ScreeningLines

KINDS = (
    ScoringLines,
    ScreeningLines,
    CorrectionLines,
    CouncilLines,
    PhaseLines,
    ProjectLines,
    OcopLines,
    ExportLines,
)

__all__ = ["KINDS", "Inbox", "Line", "LineKind"]
