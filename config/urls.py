from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from config import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("v2/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    path("docs/api/", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="api-docs"),
    path("mind/", include("mind.urls")),
    path("", include("accounts.urls")),
    path("v2/", include("accounts.api_urls")),
]
