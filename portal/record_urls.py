"""The pages that show a producer or a product with its awards and support gather products, awards and extension
projects: they live in portal (docs/architecture.md).

`urlpatterns` is the `record` namespace. `products_pages` joins products' own patterns in the `products` namespace
(portal/urls.py): the names every app and template has always used for the producer's and the product's pages and
the staff lists. The staff producer's page is one page under two names: `products:staff.producer.detail` is
`record:staff.producer.detail`."""

from django.urls import path

from . import producer_record, registry_pages

app_name = "record"

STAFF_PRODUCER = "staff/producers/<int:pk>/"

urlpatterns = [
    path(STAFF_PRODUCER, producer_record.StaffProducerRecordView.as_view(), name="staff.producer.detail"),
    path("staff/products/<int:pk>/record/", producer_record.StaffProductRecordView.as_view(), name="staff.product"),
    path("me/record/", producer_record.ProducerRecordView.as_view(), name="producer.detail"),
    path("me/record/products/<int:pk>/", producer_record.ProducerProductRecordView.as_view(), name="producer.product"),
]

products_pages = [
    path("staff/producers/", registry_pages.ProducerListView.as_view(), name="staff.producer.list"),
    path(STAFF_PRODUCER, producer_record.StaffProducerRecordView.as_view(), name="staff.producer.detail"),
    path("staff/products/", registry_pages.ProductListView.as_view(), name="staff.product.list"),
    path("staff/products/<int:pk>/", registry_pages.StaffProductDetailView.as_view(), name="staff.product.detail"),
    path("me/producer/", registry_pages.ProfileView.as_view(), name="producer.profile"),
    path("me/products/<int:pk>/", registry_pages.ProducerProductDetailView.as_view(), name="producer.product.detail"),
]
