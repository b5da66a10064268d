"""The registry's own pages. The `products` namespace also holds six pages that show awards beside the registry
(the lists with the highest-level filter, the producer's page, the product's page): portal serves them
(portal/record_urls.py, `products_pages`) and portal/urls.py adds them to this namespace, because this app
imports no other app."""

from django.urls import path

from portal.core.urls import resource_urls

from .views import common, producer, staff, units

app_name = "products"

urlpatterns = [
    # Department staff
    *resource_urls(
        "staff/producers/", "staff.producer", create=staff.ProducerCreateView, update=staff.ProducerUpdateView
    ),
    path("staff/producers/<int:pk>/products/new/", staff.ProductCreateView.as_view(), name="staff.product.create"),
    path("staff/producers/<int:pk>/documents/new/", staff.DocumentAddView.as_view(), name="staff.document.create"),
    path(
        "staff/producers/<int:pk>/address/", staff.AddressConfirmView.as_view(), name="staff.producer.address.confirm"
    ),
    *resource_urls("staff/products/", "staff.product", update=staff.ProductUpdateView),
    path("staff/products/<int:pk>/photos/new/", staff.PhotoAddView.as_view(), name="staff.photo.create"),
    path(
        "staff/products/<int:pk>/photos/<int:photo_pk>/delete/",
        staff.PhotoDeleteView.as_view(),
        name="staff.photo.delete",
    ),
    # The producer's own pages
    path("me/producer/edit/", producer.ProfileUpdateView.as_view(), name="producer.profile.update"),
    path("me/producer/address/", producer.AddressConfirmView.as_view(), name="producer.address.confirm"),
    path("me/documents/new/", producer.DocumentAddView.as_view(), name="producer.document.create"),
    *resource_urls(
        "me/products/",
        "producer.product",
        list=producer.ProductListView,
        create=producer.ProductCreateView,
        update=producer.ProductUpdateView,
    ),
    path("me/products/<int:pk>/photos/new/", producer.PhotoAddView.as_view(), name="producer.photo.create"),
    path(
        "me/products/<int:pk>/photos/<int:photo_pk>/delete/",
        producer.PhotoDeleteView.as_view(),
        name="producer.photo.delete",
    ),
    # Private files and form helpers
    path("files/photos/<uuid:uid>/", common.PhotoFileView.as_view(), name="file.photo"),
    path("files/documents/<uuid:uid>/", common.DocumentFileView.as_view(), name="file.document"),
    path(
        "files/documents/<uuid:uid>/pages/<int:page>.png", common.DocumentPageView.as_view(), name="file.document_page"
    ),
    path("units/options/", units.unit_options, name="unit.options"),
]
