from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from config import views
from meetings import api as meetings_api
from meetings import views as meetings_views

urlpatterns = [
    path("", meetings_views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),  # the pages' JS strings (gettext)
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the profile's language choice (a cookie)
    path("admin/", admin.site.urls),
    path("v2/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    path("docs/api/", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="api-docs"),
    path("mind/", include("mind.urls")),
    path("", include("accounts.urls")),
    path("v2/", include("accounts.api_urls")),
    path("v2/", include("recordings.api_urls")),  # before meetings: its meetings/<id> takes any segment
    path("v2/", include("summaries.api_urls")),  # before meetings: meetings/meeting_summaries is a literal
    path("v2/", include("qos.api_urls")),  # dashboard (metrics/...) and Video SDK QoS
    path("v2/", include("meetings.api_urls")),
    path("", include("summaries.urls")),
    path("", include("qos.urls")),  # quality pages
    path("", include("notifications.urls")),
    path("", include("webhooks.urls")),  # settings/webhooks/: event subscriptions and their delivery log
    path("", include("whiteboards.urls")),  # /j/<id>/whiteboard..., the past meeting's whiteboard.png
    path("", include("meetings.urls")),
    path("", include("recordings.urls")),
    # Last: any other /v2 path answers Zoom's JSON error instead of an HTML page.
    re_path(r"^v2/", meetings_api.api_not_found),
]
