from oauth2_provider.contrib.rest_framework import OAuth2Authentication


class BearerTokenAuthentication(OAuth2Authentication):
    """OAuth 2.0 bearer tokens issued by our authorization server (django-oauth-toolkit).

    A missing, unknown, expired or revoked token makes DRF raise NotAuthenticated, which the
    /v2 exception handler answers with Zoom's 401 `{"code": 124, "message": "Invalid access token."}`.
    """

    www_authenticate_realm = "api"
