from django.urls import path

from . import seo, views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.ProductListView.as_view(), name="public.product.list"),
    path("catalogue/<int:pk>/", views.ProductDetailView.as_view(), name="public.product.detail"),
    path("robots.txt", seo.robots_txt, name="public.robots"),
    path("sitemap.xml", seo.sitemap_xml, name="public.sitemap"),
    path("catalogue/photos/<uuid:uid>/", views.PhotoView.as_view(), name="public.photo"),
]
