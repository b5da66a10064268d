from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.ProductListView.as_view(), name="public.product.list"),
    path("catalogue/<int:pk>/", views.ProductDetailView.as_view(), name="public.product.detail"),
    path("catalogue/photos/<uuid:uid>/", views.PhotoView.as_view(), name="public.photo"),
]
