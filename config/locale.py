"""The language of a request: pages follow the person's profile language, else the browser
(Accept-Language, among settings.LANGUAGES); the machine interfaces (/v2, /mind, /auth, /oauth)
always answer in English, as Zoom's API does, whatever the client's headers say."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

MACHINE_PREFIXES = ("/v2/", "/mind/", "/auth/", "/oauth/")


class PageLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path.startswith(MACHINE_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith(MACHINE_PREFIXES):
            return response
        return super().process_response(request, response)
