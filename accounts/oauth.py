"""Our OAuth 2.0 authorization server policy, on top of django-oauth-toolkit (DOT) and oauthlib.

- Scopes mirror Zoom's. Account-wide scopes (`...:admin`, `meeting:master`) are only granted to
  tokens that act for an account owner or admin.
- `client_credentials` tokens act for the user who registered the application.
- Zoom's server-to-server grant, `grant_type=account_credentials&account_id=...` with HTTP Basic
  client authentication, issues a token acting for the application's account owner/admin, so
  Zoom server-to-server clients work by changing their base URL.
- Zoom's documentation sends token parameters in the query string; oauthlib only reads the
  form body, so the server moves them into the body (secrets in URLs stay refused).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes
from oauthlib.oauth2 import Server
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.grant_types import ClientCredentialsGrant

ACCOUNT_CREDENTIALS = "account_credentials"
# Parameters a client may not put in a URL (they end up in logs and browser history).
SECRET_QUERY_PARAMETERS = {"client_secret", "password"}


def is_admin_scope(scope: str) -> bool:
    """Account-wide scopes: only an account owner or admin may hold them."""
    return scope.endswith(":admin") or ":admin:" in scope or scope == "meeting:master"


# Scopes a token only carries when a client asks for them by name (never by default).
EXPLICIT_ONLY_SCOPES = {"token:manage"}


def grantable_scopes(user, all_scopes) -> list[str]:
    if user is not None and getattr(user, "is_account_admin", False):
        return list(all_scopes)
    return [scope for scope in all_scopes if not is_admin_scope(scope)]


def acting_user(application, request):
    """The user a token would act for: the approving user, else the application's owner."""
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return getattr(application, "user", None)


class ZoomScopes(SettingsScopes):
    """Zoom's scopes, narrowed to what the acting user's role allows."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return grantable_scopes(acting_user(application, request), self.get_all_scopes())

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        available = [scope for scope in self.get_available_scopes(application, request)
                     if scope not in EXPLICIT_ONLY_SCOPES]
        if getattr(request, "grant_type", None) == ACCOUNT_CREDENTIALS:
            return available  # a Zoom server-to-server token carries all the app's scopes
        return [scope for scope in available if not is_admin_scope(scope)]


class ConferOAuth2Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == ACCOUNT_CREDENTIALS:
            # A server-to-server application is registered as a client-credentials application.
            return client.allows_grant_type(client.GRANT_CLIENT_CREDENTIALS)
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_account_id(self, account_id: str, client, request) -> bool:
        """The account_credentials grant: the application's owner must be an admin of that account."""
        owner = client.user
        if owner is None or not owner.is_active or not owner.is_account_admin:
            return False
        if owner.account.public_id != account_id:
            return False
        request.user = owner
        return True

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        if request.grant_type == "client_credentials" and request.user is None:
            request.user = request.client.user  # DOT leaves it empty; our tokens always act for a user
        return super()._create_access_token(expires, request, token, source_refresh_token)

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        user = request.user or getattr(request.client, "user", None)
        if user is None or not user.is_active:
            return False  # a deactivated user's tokens stop working with the user
        request.user = user
        return True


class AccountCredentialsGrant(ClientCredentialsGrant):
    """Zoom's server-to-server OAuth grant (`grant_type=account_credentials`)."""

    def validate_token_request(self, request):
        for validator in self.custom_validators.pre_token:
            validator(request)
        if request.grant_type != ACCOUNT_CREDENTIALS:
            raise errors.UnsupportedGrantTypeError(request=request)
        for param in ("grant_type", "scope", "account_id"):
            if param in request.duplicate_params:
                raise errors.InvalidRequestError(description=f"Duplicate {param} parameter.", request=request)
        account_id = getattr(request, "account_id", None)
        if not account_id:
            raise errors.InvalidRequestError(description="Missing account_id parameter.", request=request)
        self.validate_client_confidential(request)
        if request.client.client_type != request.client.CLIENT_CONFIDENTIAL:
            raise errors.InvalidClientError(request=request)
        self.validate_grant_type(request)
        if not self.request_validator.validate_account_id(account_id, request.client, request):
            raise errors.InvalidGrantError(
                description="account_id does not match this application's account, or the application's "
                "owner is not an owner or admin of it.",
                request=request,
            )
        self.validate_scopes(request)
        for validator in self.custom_validators.post_token:
            validator(request)


class ConferOAuth2Server(Server):
    def __init__(self, request_validator, *args, **kwargs):
        super().__init__(request_validator, *args, **kwargs)
        # No resource-owner password grant (RFC 9700): clients never see users' passwords.
        self._grant_types.pop("password", None)
        self._grant_types[ACCOUNT_CREDENTIALS] = AccountCredentialsGrant(request_validator)

    def create_token_response(self, uri, http_method="POST", body=None, headers=None, credentials=None,
                              grant_type_for_scope=None, claims=None):
        uri, body = self._query_into_body(uri, body)
        return super().create_token_response(uri, http_method, body, headers, credentials,
                                             grant_type_for_scope, claims)

    @staticmethod
    def _query_into_body(uri, body):
        """`POST /oauth/token?grant_type=account_credentials&account_id=...` (Zoom's documented form)."""
        parts = urlsplit(uri)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if not query or any(name in SECRET_QUERY_PARAMETERS for name, _ in query):
            return uri, body  # oauthlib refuses query parameters on POST: the client gets invalid_request
        form = parse_qsl(body or "", keep_blank_values=True)
        in_body = {name for name, _ in form}
        form += [(name, value) for name, value in query if name not in in_body]
        return urlunsplit(parts._replace(query="")), urlencode(form)
