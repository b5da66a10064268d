"""The portal's URLs plus the registration-form PDF views, under names of their own, so the tests of
awards.views.registration_pdf run whether or not awards/urls.py routes them yet."""

from django.urls import path

from awards.views import registration_pdf
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path(
        "test/me/nominations/<int:pk>/registration.pdf",
        registration_pdf.ProducerRegistrationFormPdfView.as_view(),
        name="test_producer_pdf",
    ),
    path(
        "test/staff/nominations/<int:pk>/registration.pdf",
        registration_pdf.StaffRegistrationFormPdfView.as_view(),
        name="test_staff_pdf",
    ),
    *portal_urlpatterns,
]
