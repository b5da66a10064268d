from django.urls import path

from .views import common, producer, staff, units

app_name = "products"

urlpatterns = [
    # Department staff
    path("staff/producers/", staff.ProducerListView.as_view(), name="staff.producer.list"),
    path("staff/producers/new/", staff.ProducerCreateView.as_view(), name="staff.producer.create"),
    path("staff/producers/<int:pk>/", staff.ProducerDetailView.as_view(), name="staff.producer.detail"),
    path("staff/producers/<int:pk>/edit/", staff.ProducerUpdateView.as_view(), name="staff.producer.update"),
    path("staff/producers/<int:pk>/products/new/", staff.ProductCreateView.as_view(), name="staff.product.create"),
    path("staff/producers/<int:pk>/documents/new/", staff.DocumentAddView.as_view(), name="staff.document.create"),
    path("staff/products/", staff.ProductListView.as_view(), name="staff.product.list"),
    path("staff/products/<int:pk>/", staff.ProductDetailView.as_view(), name="staff.product.detail"),
    path("staff/products/<int:pk>/edit/", staff.ProductUpdateView.as_view(), name="staff.product.update"),
    path("staff/products/<int:pk>/photos/new/", staff.PhotoAddView.as_view(), name="staff.photo.create"),
    path(
        "staff/products/<int:pk>/photos/<int:photo_pk>/delete/",
        staff.PhotoDeleteView.as_view(),
        name="staff.photo.delete",
    ),
    # The producer's own pages
    path("me/producer/", producer.ProfileView.as_view(), name="producer.profile"),
    path("me/producer/edit/", producer.ProfileUpdateView.as_view(), name="producer.profile.update"),
    path("me/documents/new/", producer.DocumentAddView.as_view(), name="producer.document.create"),
    path("me/products/", producer.ProductListView.as_view(), name="producer.product.list"),
    path("me/products/new/", producer.ProductCreateView.as_view(), name="producer.product.create"),
    path("me/products/<int:pk>/", producer.ProductDetailView.as_view(), name="producer.product.detail"),
    path("me/products/<int:pk>/edit/", producer.ProductUpdateView.as_view(), name="producer.product.update"),
    path("me/products/<int:pk>/photos/new/", producer.PhotoAddView.as_view(), name="producer.photo.create"),
    path(
        "me/products/<int:pk>/photos/<int:photo_pk>/delete/",
        producer.PhotoDeleteView.as_view(),
        name="producer.photo.delete",
    ),
    # Private files and form helpers
    path("files/photos/<uuid:uid>/", common.PhotoFileView.as_view(), name="file.photo"),
    path("files/documents/<uuid:uid>/", common.DocumentFileView.as_view(), name="file.document"),
    path("units/options/", units.unit_options, name="unit.options"),
]
