"""Forms of the awards app by domain, re-exported here. Validation only: writes go through awards.services."""

from .checklists import ChecklistFormSet, GroupRuleFormSet  # noqa: F401
from .councils import (  # noqa: F401
    ConflictDeclareForm,
    ConflictForm,
    CouncilForm,
    CouncilMemberInviteForm,
    CouncilMemberUpdateForm,
    CouncilMinutesForm,
    FieldVisitForm,
)
from .nominations import (  # noqa: F401
    AcceptForm,
    AttachDocumentForm,
    ClosingForm,
    CorrectionForm,
    DecisionForm,
    DeclarationForm,
    NominationFormForm,
    NominationPhotosForm,
    NominationStartForm,
    RejectForm,
    UploadDocumentForm,
)
from .ocop import (  # noqa: F401
    OcopRatingForm,
    OcopTargetForm,
)
from .recognitions import (  # noqa: F401
    CertificateIssueForm,
    CertificateReissueForm,
    CertificateRevokeForm,
    RecognitionForm,
)
from .rounds import (  # noqa: F401
    PhasesForm,
    RoundForm,
    RoundStatusForm,
    decimal_vi,
)
