"""The producer's record gathers products, awards and extension projects: it lives in portal
(docs/architecture.md)."""

from django.urls import path

from . import producer_record

app_name = "record"

urlpatterns = [
    path(
        "staff/producers/<int:pk>/record/",
        producer_record.StaffProducerRecordView.as_view(),
        name="staff.producer.detail",
    ),
    path("staff/products/<int:pk>/record/", producer_record.StaffProductRecordView.as_view(), name="staff.product"),
    path("me/record/", producer_record.ProducerRecordView.as_view(), name="producer.detail"),
    path("me/record/products/<int:pk>/", producer_record.ProducerProductRecordView.as_view(), name="producer.product"),
]
