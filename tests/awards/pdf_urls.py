"""The portal's URLs plus the registration-form PDF views, under names of their own, so the tests of
awards.views.documents run whether or not awards/urls.py routes them yet."""

from django.urls import path

from awards.views import documents
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path(
        "test/me/nominations/<int:pk>/registration.pdf",
        documents.ProducerRegistrationFormPdfView.as_view(),
        name="test_producer_pdf",
    ),
    path(
        "test/staff/nominations/<int:pk>/registration.pdf",
        documents.StaffRegistrationFormPdfView.as_view(),
        name="test_staff_pdf",
    ),
    *portal_urlpatterns,
]
