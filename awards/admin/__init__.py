"""The back office of awards by domain; importing the modules registers their ModelAdmins."""

from .councils import (  # noqa: F401
    ConflictAdmin,
    CouncilAdmin,
    CouncilMemberForm,
    CouncilMemberFormSet,
    CouncilMemberInline,
    DecisionAdmin,
    FieldVisitAdmin,
    ScoreSheetAdmin,
    close_first_pass,
    export_minutes_pdf,
    export_score_summary_pdf,
    invite_members,
    issue_decision_certificates,
)
from .ocop import (  # noqa: F401
    OCOP_RATING_FIELDS,
    OCOP_TARGET_FIELDS,
    OcopCriteriaSetAdmin,
    OcopRatingAdmin,
    OcopRatingAdminForm,
    OcopStarBandAdmin,
    OcopTargetAdmin,
    OcopTargetAdminForm,
    RecognitionTargetAdmin,
)
from .recognitions import (  # noqa: F401
    CertificateAdmin,
    RecognitionAdmin,
    RecognitionAdminForm,
    download_certificate_pdf,
    export_certificates,
    reissue_certificates,
    revoke_certificates,
)
from .rounds import (  # noqa: F401
    ChecklistInline,
    CriteriaSheetAdmin,
    CriterionInline,
    GroupRuleInline,
    LevelAdmin,
    LevelChecklistInline,
    PhaseInline,
    ProgrammeAdmin,
    RegionAdmin,
    RoundAdmin,
    close_rounds,
    publish_rounds,
)
from .signing import SigningCertificateAdmin  # noqa: F401
