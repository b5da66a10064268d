from django.urls import path

from portal.core.urls import resource_urls

from .views import (
    assignments,
    certificate_exports,
    certificate_issuing,
    certificates,
    checklists,
    closing,
    council_meeting,
    councils,
    dossier_lookup,
    field_visits,
    member,
    nominations,
    ocop,
    public,
    recognitions,
    registration_pdf,
    results,
    rounds,
    screening,
    screening_bulk,
    verify,
    verify_pdf,
)

app_name = "awards"

urlpatterns = [
    *resource_urls(
        "staff/rounds/",
        "staff.round",
        list=rounds.RoundListView,
        create=rounds.RoundFormView,
        detail=rounds.RoundDetailView,
        update=rounds.RoundFormView,
    ),
    path("staff/rounds/<int:pk>/status/", rounds.RoundStatusView.as_view(), name="staff.round.status"),
    path("staff/rounds/<int:pk>/checklist/", checklists.RoundChecklistView.as_view(), name="staff.round.checklist"),
    # Nominations: the producer's wizard and timeline
    *resource_urls(
        "me/nominations/",
        "producer.nomination",
        list=nominations.ProducerNominationList,
        create=nominations.ProducerNominationStart,
        detail=nominations.ProducerNominationDetail,
    ),
    path(
        "me/nominations/<int:pk>/registration.pdf",
        registration_pdf.ProducerRegistrationFormPdfView.as_view(),
        name="producer.nomination.pdf",
    ),
    path(
        "me/nominations/<int:pk>/<slug:step>/",
        nominations.ProducerNominationStep.as_view(),
        name="producer.nomination.step",
    ),
    # Staff: paper dossiers entered on a producer's behalf, the screening queue and page
    path(
        "staff/producers/<int:producer_pk>/nominations/new/",
        nominations.StaffNominationStart.as_view(),
        name="staff.nomination.create",
    ),
    path(
        "staff/nominations/<int:pk>/edit/<slug:step>/",
        nominations.StaffNominationStep.as_view(),
        name="staff.nomination.step",
    ),
    path("staff/rounds/<int:pk>/nominations/", screening.ScreeningQueueView.as_view(), name="staff.nomination.list"),
    path(
        "staff/rounds/<int:pk>/nominations/bulk/",
        screening_bulk.BulkDecisionView.as_view(),
        name="staff.nomination.bulk",
    ),
    path("staff/nominations/<int:pk>/", screening.ScreeningView.as_view(), name="staff.nomination.detail"),
    path(
        "staff/nominations/<int:pk>/registration.pdf",
        registration_pdf.StaffRegistrationFormPdfView.as_view(),
        name="staff.nomination.pdf",
    ),
    path("staff/nominations/<int:pk>/decide/", screening.DecisionView.as_view(), name="staff.nomination.decide"),
    path("staff/rounds/<int:pk>/results/", results.ResultsView.as_view(), name="staff.round.results"),
    path(
        "staff/rounds/<int:pk>/results.xlsx", results.ScoreSummaryExportView.as_view(), name="staff.round.results_xlsx"
    ),
    path(
        "staff/rounds/<int:pk>/results/close-scoring/",
        closing.ClosingView.as_view(),
        name="staff.round.close_scoring",
    ),
    path(
        "staff/rounds/<int:pk>/results/close-pass/",
        closing.ClosingView.as_view(first_pass=True),
        name="staff.round.close_pass",
    ),
    path("staff/nominations/<int:pk>/sheets/", results.NominationSheetsView.as_view(), name="staff.results.sheets"),
    path("staff/sheets/<int:pk>/reopen/", results.SheetReopenView.as_view(), name="staff.sheet.reopen"),
    path("staff/sheets/<int:pk>/sheet.pdf", results.SheetPdfView.as_view(), name="staff.sheet.pdf"),
    # Staff: the council's meeting, its minutes and the score summary as PDF
    path("staff/rounds/<int:pk>/minutes/", council_meeting.MinutesFormView.as_view(), name="staff.round.minutes"),
    path(
        "staff/rounds/<int:pk>/minutes.pdf",
        council_meeting.StaffMinutesPdfView.as_view(),
        name="staff.round.minutes_pdf",
    ),
    path(
        "staff/rounds/<int:pk>/score-summary.pdf",
        council_meeting.StaffSummaryPdfView.as_view(),
        name="staff.round.summary_pdf",
    ),
    # Staff: who scores what, and the field visits between the two scoring passes
    path(
        "staff/rounds/<int:pk>/council/assignments/",
        assignments.AssignmentView.as_view(),
        name="staff.council.assign",
    ),
    path("staff/rounds/<int:pk>/field-visits/", field_visits.FieldVisitListView.as_view(), name="staff.visit.list"),
    path("staff/field-visits/<int:pk>/", field_visits.FieldVisitUpdateView.as_view(), name="staff.visit.update"),
    # Staff: the round's council, its members and invitations, conflicts of interest
    path("staff/rounds/<int:pk>/council/", councils.CouncilDetailView.as_view(), name="staff.council.detail"),
    path(
        "staff/rounds/<int:pk>/council/new/",
        councils.CouncilFormView.as_view(create=True),
        name="staff.council.create",
    ),
    path("staff/rounds/<int:pk>/council/edit/", councils.CouncilFormView.as_view(), name="staff.council.update"),
    path(
        "staff/rounds/<int:pk>/council/members/new/",
        councils.MemberAddView.as_view(),
        name="staff.council.member.add",
    ),
    path(
        "staff/rounds/<int:pk>/council/members/<int:member_pk>/edit/",
        councils.MemberUpdateView.as_view(),
        name="staff.council.member.update",
    ),
    path(
        "staff/rounds/<int:pk>/council/members/<int:member_pk>/remove/",
        councils.MemberRemoveView.as_view(),
        name="staff.council.member.remove",
    ),
    path(
        "staff/rounds/<int:pk>/council/members/<int:member_pk>/invite/",
        councils.MemberInviteView.as_view(),
        name="staff.council.member.invite",
    ),
    path(
        "staff/rounds/<int:pk>/council/conflicts/new/",
        councils.ConflictAddView.as_view(),
        name="staff.council.conflict.add",
    ),
    path(
        "staff/rounds/<int:pk>/council/conflicts/<int:conflict_pk>/remove/",
        councils.ConflictRemoveView.as_view(),
        name="staff.council.conflict.remove",
    ),
    # Council members
    path("member/", member.DashboardView.as_view(), name="member.dashboard"),
    path("member/nominations/<int:pk>/sheet/", member.SheetView.as_view(), name="member.sheet"),
    path("member/nominations/<int:pk>/sheet.pdf", member.SheetPdfView.as_view(), name="member.sheet.pdf"),
    path(
        "member/rounds/<int:pk>/minutes.pdf",
        council_meeting.MemberMinutesPdfView.as_view(),
        name="member.round.minutes_pdf",
    ),
    path(
        "member/rounds/<int:pk>/score-summary.pdf",
        council_meeting.MemberSummaryPdfView.as_view(),
        name="member.round.summary_pdf",
    ),
    path(
        "member/nominations/<int:pk>/conflict/",
        member.ConflictDeclareView.as_view(),
        name="member.conflict.declare",
    ),
    path(
        "member/nominations/<int:pk>/<slug:kind>/<uuid:uid>/",
        member.DossierFileView.as_view(),
        name="member.file",
    ),
    # Recognitions of every level: the dashboard, the list, the paper archive
    path("staff/recognitions/", recognitions.RecognitionSummaryView.as_view(), name="staff.recognition.summary"),
    path("staff/recognitions/list/", recognitions.RecognitionListView.as_view(), name="staff.recognition.list"),
    path("staff/recognitions/new/", recognitions.RecognitionCreateView.as_view(), name="staff.recognition.create"),
    path(
        "staff/recognitions/<int:pk>/delete/",
        recognitions.RecognitionDeleteView.as_view(),
        name="staff.recognition.delete",
    ),
    # Bulk certificate exports (merged PDF + ZIP, built by the background worker)
    *resource_urls(
        "staff/certificates/exports/",
        "staff.certificate.export",
        list=certificate_exports.ExportListView,
        create=certificate_exports.ExportCreateView,
        detail=certificate_exports.ExportDetailView,
    ),
    path(
        "staff/certificates/exports/<int:pk>/<slug:kind>/",
        certificate_exports.ExportFileView.as_view(),
        name="staff.certificate.export.file",
    ),
    # Certificates: the staff list, one certificate, issuing, the decision's attachment list; the producer's own
    *resource_urls(
        "staff/certificates/",
        "staff.certificate",
        list=certificates.CertificateListView,
        detail=certificates.CertificateDetailView,
    ),
    path("staff/certificates/<int:pk>.pdf", certificates.CertificatePdfView.as_view(), name="staff.certificate.pdf"),
    path(
        "staff/decisions/<int:pk>/certificates/",
        certificate_issuing.DecisionCertificatesView.as_view(),
        name="staff.decision.certificates",
    ),
    path(
        "staff/decisions/<int:pk>/list.pdf",
        certificate_issuing.DecisionListPdfView.as_view(),
        name="staff.decision.list_pdf",
    ),
    path(
        "staff/decisions/<int:pk>/list.xlsx",
        certificate_issuing.DecisionListXlsxView.as_view(),
        name="staff.decision.list_xlsx",
    ),
    path(
        "staff/recognitions/<int:pk>/certificate/",
        certificate_issuing.RecognitionCertificateView.as_view(),
        name="staff.recognition.certificate",
    ),
    path("me/certificates/", certificates.ProducerCertificateListView.as_view(), name="producer.certificate.list"),
    path(
        "me/certificates/<int:pk>.pdf",
        certificates.ProducerCertificatePdfView.as_view(),
        name="producer.certificate.pdf",
    ),
    # OCOP ratings: the list, recording a rating, ratings about to expire, the province's targets
    *resource_urls("staff/ocop/", "staff.ocop", list=ocop.OcopRatingListView, create=ocop.OcopRatingCreateView),
    path("staff/ocop/expiring/", ocop.OcopExpiringView.as_view(), name="staff.ocop.expiring"),
    path("staff/ocop/targets/", ocop.OcopTargetView.as_view(), name="staff.ocop.targets"),
    path("rounds/", public.OpenRoundListView.as_view(), name="public.round.list"),
    path("verify/", verify.VerifySearchView.as_view(), name="verify.search"),
    # before verify/<code>/: "pdf" is not a code
    path("verify/pdf/", verify_pdf.VerifyPdfView.as_view(), name="verify.pdf"),
    path("verify/<str:code>/", verify.VerifyDetailView.as_view(), name="verify.detail"),
    path("dossiers/lookup/", dossier_lookup.DossierLookupView.as_view(), name="public.dossier.lookup"),
    path("rounds/<int:pk>/", public.RoundDetailView.as_view(), name="public.round.detail"),
    path(
        "rounds/<int:pk>/templates/<int:item_pk>/", public.ChecklistTemplateView.as_view(), name="public.round.template"
    ),
]
