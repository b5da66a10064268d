from django.urls import path

from .views import documents, member, nominations, public, results, screening, staff

app_name = "awards"

urlpatterns = [
    path("staff/rounds/", staff.RoundListView.as_view(), name="staff.round.list"),
    path("staff/rounds/new/", staff.RoundFormView.as_view(), name="staff.round.create"),
    path("staff/rounds/<int:pk>/", staff.RoundDetailView.as_view(), name="staff.round.detail"),
    path("staff/rounds/<int:pk>/edit/", staff.RoundFormView.as_view(), name="staff.round.update"),
    path("staff/rounds/<int:pk>/status/", staff.RoundStatusView.as_view(), name="staff.round.status"),
    # Nominations: the producer's wizard and timeline
    path("me/nominations/", nominations.ProducerNominationList.as_view(), name="producer.nomination.list"),
    path("me/nominations/new/", nominations.ProducerNominationStart.as_view(), name="producer.nomination.create"),
    path("me/nominations/<int:pk>/", nominations.ProducerNominationDetail.as_view(), name="producer.nomination.detail"),
    path(
        "me/nominations/<int:pk>/registration.pdf",
        documents.ProducerRegistrationFormPdfView.as_view(),
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
    path("staff/nominations/<int:pk>/", screening.ScreeningView.as_view(), name="staff.nomination.detail"),
    path(
        "staff/nominations/<int:pk>/registration.pdf",
        documents.StaffRegistrationFormPdfView.as_view(),
        name="staff.nomination.pdf",
    ),
    path("staff/nominations/<int:pk>/decide/", screening.DecisionView.as_view(), name="staff.nomination.decide"),
    path("staff/rounds/<int:pk>/results/", results.ResultsView.as_view(), name="staff.round.results"),
    path(
        "staff/rounds/<int:pk>/results.xlsx", results.ScoreSummaryExportView.as_view(), name="staff.round.results_xlsx"
    ),
    path("staff/sheets/<int:pk>/reopen/", results.SheetReopenView.as_view(), name="staff.sheet.reopen"),
    path("staff/sheets/<int:pk>/sheet.pdf", results.SheetPdfView.as_view(), name="staff.sheet.pdf"),
    # Council members
    path("member/", member.DashboardView.as_view(), name="member.dashboard"),
    path("member/nominations/<int:pk>/sheet/", member.SheetView.as_view(), name="member.sheet"),
    path("member/nominations/<int:pk>/sheet.pdf", member.SheetPdfView.as_view(), name="member.sheet.pdf"),
    path(
        "member/nominations/<int:pk>/<slug:kind>/<uuid:uid>/",
        member.DossierFileView.as_view(),
        name="member.file",
    ),
    path("rounds/", public.OpenRoundListView.as_view(), name="public.round.list"),
    path("rounds/<int:pk>/", public.RoundDetailView.as_view(), name="public.round.detail"),
]
