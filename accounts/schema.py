"""How drf-spectacular describes our bearer authentication in /v2/openapi.json."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An OAuth 2.0 access token from /oauth/token (see docs/accounts.md)."}
