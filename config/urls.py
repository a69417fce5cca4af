from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from accounts import api_urls as accounts_api_urls
from config import views
from meetings import api as meetings_api
from meetings import api_urls as meetings_api_urls
from meetings import views as meetings_views
from push import api_urls as push_api_urls
from qos import api_urls as qos_api_urls
from recordings import api_urls as recordings_api_urls
from summaries import api_urls as summaries_api_urls

# The Zoom API, as one flat list: Django resolves it without walking (and recording as tried) every
# other app's patterns, and /v2 calls are the hottest requests.
V2_URLS = [
    *meetings_api_urls.first_urlpatterns,  # the meetings list and meeting get
    *accounts_api_urls.urlpatterns,
    *recordings_api_urls.urlpatterns,  # before meetings: its meetings/<id> takes any segment
    *summaries_api_urls.urlpatterns,  # before meetings: meetings/meeting_summaries is a literal
    *qos_api_urls.urlpatterns,  # dashboard (metrics/...) and Video SDK QoS
    *push_api_urls.urlpatterns,  # push devices (docs/push.md)
    *meetings_api_urls.urlpatterns,
    # Last: any other /v2 path answers Zoom's JSON error instead of an HTML page.
    re_path(r"", meetings_api.api_not_found),
]

urlpatterns = [
    path("v2/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    path("v2/", include(V2_URLS)),
    path("mind/", include("mind.urls")),  # the Mind API, also hot: ahead of the pages
    path("", meetings_views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),  # the pages' JS strings (gettext)
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the profile's language choice (a cookie)
    path("admin/", admin.site.urls),
    path("docs/api/", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="api-docs"),
    path("", include("accounts.urls")),
    path("", include("summaries.urls")),
    path("", include("qos.urls")),  # quality pages
    path("", include("notifications.urls")),
    path("", include("webhooks.urls")),  # settings/webhooks/: event subscriptions and their delivery log
    path("", include("whiteboards.urls")),  # /j/<id>/whiteboard..., the past meeting's whiteboard.png
    path("", include("meetings.urls")),
    path("", include("recordings.urls")),
]
