from oauth2_provider.contrib.rest_framework import OAuth2Authentication

from accounts import services


class BearerTokenAuthentication(OAuth2Authentication):
    """OAuth 2.0 bearer tokens issued by our authorization server (django-oauth-toolkit).

    A missing, unknown, expired or revoked token (or one whose user was deactivated) makes DRF raise
    NotAuthenticated, which the /v2 exception handler answers with Zoom's 401
    `{"code": 124, "message": "Invalid access token."}`. Tokens are looked up in the database on
    every request, so a revoked token stops working at once.
    """

    www_authenticate_realm = "api"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            services.record_token_use(result[1])  # throttled: at most one write a minute per token
        return result
