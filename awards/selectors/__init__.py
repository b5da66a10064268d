"""Reads that more than one view needs, by domain; everything is re-exported here."""

from .certificate_documents import (  # noqa: F401
    PdfVerdict,
    Verdict,
    certificate_pdf_verdict,
    certificate_pdf_verdict_of,
)
from .dossier_lookup import DossierStatus, DossierStep, dossier_status, normalise_receipt_code  # noqa: F401
from .nominations import (  # noqa: F401
    SCORABLE_STATES,
    dossier_gaps,
    group_rule,
    labelled_parts,
    nomination_checklist,
    nomination_parts,
    nomination_problems,
    nominations_for_staff,
    parts_for,
    round_covers,
    round_parts,
    rounds_for_staff,
    rounds_open_to_public,
    valid_lower_recognition,
)
from .ocop import (  # noqa: F401
    OcopActual,
    OcopGoal,
    OcopMeasures,
    OcopTargetRow,
    OcopYear,
    goal_points,
    is_share,
    ocop_as_of,
    ocop_expiring,
    ocop_latest_only,
    ocop_measure,
    ocop_percent,
    ocop_rating_list,
    ocop_ratings_for_staff,
    ocop_round,
    ocop_target_rows,
    ocop_target_years,
    target_rows,
)
from .recognitions import (  # noqa: F401
    PROVINCE_RECORDED,
    PROVINCE_TODAY,
    certificates_for_staff,
    certificates_of_producer,
    recognition_levels,
    recognition_list,
    recognition_summary,
    recognitions_for_staff,
)
from .score_sheet import dossier_facts, group_facts, sheet_groups  # noqa: F401
from .scoring import (  # noqa: F401
    SheetSummary,
    council_progress,
    member_nominations,
    nomination_score,
    round_results,
    seats_of,
)
from .worklist import (  # noqa: F401
    WAITING_FOR_SCREENING,
    CouncilWork,
    RoundWork,
    SeatWork,
    annotate_queue_rows,
    badge_figures,
    correction_overdue,
    councils_short_of_sheets,
    dossiers_to_score,
    exports_ready,
    managed_rounds,
    ocop_expiry,
    phases_ending,
    screening_work,
    seats_progress,
    seats_to_score,
    waiting_since,
)
