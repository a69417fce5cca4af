"""JSON endpoints: the seed's /auth/mfa/*, /auth/tokens, /auth/token/revoke, the OAuth token
endpoint wrapper, and Zoom's GET /v2/users/{userId}."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from urllib.parse import unquote_plus

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from oauth2_provider import views as oauth_views
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import pictures, ratelimit, services, signin, user_settings, zak
from accounts.authentication import BearerTokenAuthentication
from accounts.permissions import has_admin_scope, insufficient_scope
from config.api import INVALID_PARAMETERS, USER_NOT_FOUND, ZoomAPIError, paginate


def auth_exception_handler(exc, context):
    """Errors of the /auth JSON endpoints: `{"error": <code>, "message": <text>}`."""
    if isinstance(exc, services.AccountsError):
        code, message, http_status = exc.code, exc.message, exc.status
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code, message, http_status = "unauthenticated", "Sign in, or send a valid bearer token.", 401
    elif isinstance(exc, exceptions.PermissionDenied):
        code, message, http_status = "forbidden", str(exc.detail), 403
    elif isinstance(exc, exceptions.ParseError):
        code, message, http_status = "invalid_request", "The request body is not valid JSON.", 400
    elif isinstance(exc, exceptions.APIException):
        code, message, http_status = "invalid_request", str(exc.detail), exc.status_code
    else:
        return None
    return Response({"error": code, "message": message}, status=http_status)


class AuthAPIView(APIView):
    """Authenticated by the session (with CSRF) or a bearer token; JSON errors, not Zoom's."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser]
    schema = None  # not part of the /v2 API document (see docs/accounts.md)

    def get_exception_handler(self):
        return auth_exception_handler


class SessionOnlyAPIView(AuthAPIView):
    # MFA settings change how the account is protected: an API token must not be able to do that.
    authentication_classes = [SessionAuthentication]


class MFASetupView(SessionOnlyAPIView):
    """POST /auth/mfa/setup: start authenticator-app enrolment; confirm with POST /auth/mfa/verify."""

    def post(self, request):
        enrolment = services.start_mfa_enrolment(request.user)
        return Response({
            "otpauth_uri": enrolment.otpauth_uri,
            "qr_code": enrolment.qr_code,
            "secret": enrolment.secret,
            "confirmed": False,
        })


class MFAVerifyView(SessionOnlyAPIView):
    """POST /auth/mfa/verify {"code": "..."}: completes a pending sign-in, confirms an enrolment,
    or re-verifies a signed-in session (step-up)."""

    permission_classes = [AllowAny]  # a pending sign-in is not authenticated yet

    def post(self, request):
        SessionAuthentication().enforce_csrf(request)  # DRF only checks CSRF for signed-in sessions
        code = request.data.get("code") if hasattr(request.data, "get") else None
        if not code:
            raise services.AccountsError("invalid_request", "Send the code: {\"code\": \"123456\"}.")
        pending = signin.pending_user(request)
        key = f"user:{pending.pk}" if pending else (f"user:{request.user.pk}" if request.user else "")
        limited = ratelimit.rate_limited(request._request, "mfa", key)
        if limited:
            return limited
        if pending is not None:
            try:
                user = signin.verify_pending(request._request, code)
            except signin.Locked:
                return ratelimit.lockout_response(request._request)
            return Response({"status": "signed_in", "user": user.email,
                             "backup_codes_left": services.backup_codes_left(user)})
        if request.user is None:
            raise services.AccountsError("no_pending_sign_in", "Sign in with your email and password first.")
        if not services.has_mfa(request.user):
            device, codes = services.confirm_mfa_enrolment(request.user, code, ip=services.client_ip(request))
            signin.otp_login(request._request, device)
            return Response({"status": "enrolled", "backup_codes": codes})
        device = services.verify_mfa_code(request.user, code)
        if device is None:
            raise services.AccountsError("invalid_code", "That code is not valid.")
        signin.otp_login(request._request, device)
        return Response({"status": "verified"})


TOKEN_MANAGE_SCOPE = "token:manage"


def require_token_manage(request) -> None:
    """Bearer tokens need the dedicated scope to see or revoke other tokens; the session (signed in,
    with its second factor when the user has one, CSRF-checked) may always."""
    if request.auth is not None and TOKEN_MANAGE_SCOPE not in (getattr(request.auth, "scope", "") or "").split():
        raise services.AccountsError("insufficient_scope",
                                     f"This token cannot manage tokens: it needs the {TOKEN_MANAGE_SCOPE} scope.", 403)


class TokenListView(AuthAPIView):
    """GET /auth/tokens: the caller's active access tokens."""

    def get(self, request):
        require_token_manage(request)
        return Response({"tokens": [services.token_summary(t) for t in services.active_tokens(request.user)]})


class TokenRevokeView(AuthAPIView):
    """POST /auth/token/revoke {"id": N}: revoke one of the caller's tokens; without an id, the token
    making this request."""

    def post(self, request):
        token_id = request.data.get("id") if hasattr(request.data, "get") else None
        if token_id in (None, ""):
            if request.auth is None:
                raise services.AccountsError("invalid_request", "Send the id of the token to revoke.")
            token_id = request.auth.pk
        elif request.auth is None or str(token_id) != str(request.auth.pk):
            require_token_manage(request)  # a token may always revoke itself
        services.revoke_token(request.user, token_id, ip=services.client_ip(request))
        return Response({"id": int(token_id), "revoked": True})


def _client_id(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip()).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.split(":", 1)[0])
    return request.POST.get("client_id", "")


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(oauth_views.TokenView):
    """POST /auth/oauth/token (and /oauth/token): DOT's token endpoint, rate-limited, with lockout
    of a client after repeated failed client authentications, and Zoom's `api_url` in answers."""

    def post(self, request, *args, **kwargs):
        # Limited per address only: a per-client limit would let anyone starve a client by its public id.
        limited = ratelimit.rate_limited(request, "token")
        if limited:
            return limited
        client_id = _client_id(request)
        credentials = {"username": f"oauth-client:{client_id}"}
        if client_id and AxesProxyHandler.is_locked(request, credentials):
            return ratelimit.lockout_response(request)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 401 and client_id:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if response.status_code == 200:
            body = json.loads(response.content)
            body["api_url"] = settings.SITE_ROOT  # Zoom's server-to-server answer names the API host
            response.content = json.dumps(body)
        # RFC 6749 5.1/5.2: answers are JSON; oauthlib leaves the type off some errors (e.g. a secret
        # sent in the query string), which Django then labels text/html.
        response["Content-Type"] = "application/json"
        return response


def _own_access_token(request, raw_token: str | None):
    """The access token `raw_token`, if it was issued to the client making this request."""
    if not raw_token:
        return None
    checksum = hashlib.sha256(raw_token.encode()).hexdigest()
    return (services.AccessToken.objects.filter(token_checksum=checksum, application__client_id=_client_id(request))
            .select_related("user", "application").first())


@method_decorator(csrf_exempt, name="dispatch")
class RevokeTokenView(oauth_views.RevokeTokenView):
    """POST /auth/oauth/revoke (RFC 7009): a client revokes one of its own tokens."""

    def post(self, request, *args, **kwargs):
        token = _own_access_token(request, request.POST.get("token"))
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and token is not None:
            services.audit(token.user, "token.revoked", target=token, ip=services.client_ip(request),
                           application=token.application.name, via="oauth_revoke")
        return response


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectTokenView(oauth_views.IntrospectTokenView):
    """POST /auth/oauth/introspect (RFC 7662) with client authentication. A client only learns about
    its own tokens: any other token is `{"active": false}`, so nothing leaks across accounts."""

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])  # tokens do not belong in URLs

    def post(self, request, *args, **kwargs):
        if _own_access_token(request, request.POST.get("token")) is None:
            return JsonResponse({"active": False})
        return super().post(request, *args, **kwargs)


@extend_schema_view(get=extend_schema(operation_id="user", summary="Get a user", responses={200: OpenApiTypes.OBJECT}))
class UserDetailView(APIView):
    """GET /v2/users/{userId} (Zoom "Get a user"): `me`, a user id or an email of the same account."""
    rate_limit_classes = {"GET": "light"}

    required_scopes = {"GET": "user:read"}

    def get(self, request, user_id):
        try:
            user = services.find_account_user(request.user, user_id)
        except services.NotFound:
            raise ZoomAPIError(status.HTTP_404_NOT_FOUND, USER_NOT_FOUND, f"User does not exist: {user_id}.") from None
        if user.pk != request.user.pk and not has_admin_scope(request, "user:read"):
            raise insufficient_scope("user:read:admin")
        return Response(services.zoom_user(user))


def _zoom_user_or_404(request, user_id: str, scope: str):
    """`userId` within the caller's account; another user needs the `<scope>:admin` scope."""
    try:
        user = services.find_account_user(request.user, user_id)
    except services.NotFound:
        raise ZoomAPIError(status.HTTP_404_NOT_FOUND, USER_NOT_FOUND, f"User does not exist: {user_id[:64]}.") from None
    if user.pk != request.user.pk and not has_admin_scope(request, scope):
        raise insufficient_scope(f"{scope}:admin")
    return user


@extend_schema_view(get=extend_schema(operation_id="userSettings", responses={200: OpenApiTypes.OBJECT}),
                    patch=extend_schema(operation_id="userSettingsUpdate", responses={204: None}))
class UserSettingsView(APIView):
    """GET/PATCH /v2/users/{userId}/settings (accounts.user_settings: what each setting does)."""

    required_scopes = {"GET": "user:read", "PATCH": "user:write"}
    rate_limit_classes = {"GET": "medium", "PATCH": "medium"}

    def get(self, request, user_id):
        return Response(user_settings.settings_object(_zoom_user_or_404(request, user_id, "user:read")))

    def patch(self, request, user_id):
        user = _zoom_user_or_404(request, user_id, "user:write")
        try:
            user_settings.update_settings(user, request.data)
        except user_settings.SettingsRefused as refused:
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS, str(refused)) from None
        services.audit(request.user, "user.settings_changed", target=user, account=user.account,
                       ip=services.client_ip(request), fields=sorted(request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(post=extend_schema(operation_id="userPicture", responses={201: OpenApiTypes.OBJECT}),
                    delete=extend_schema(operation_id="userPictureDelete", responses={204: None}))
class UserPictureView(APIView):
    """POST /v2/users/{userId}/picture (multipart `pic_file`) and DELETE: the profile picture people see
    in meetings when the camera is off (accounts.pictures checks and re-makes it); GET /users/{userId}
    then has its `pic_url`."""

    required_scopes = {"POST": "user:write", "DELETE": "user:write"}
    rate_limit_classes = {"POST": "medium", "DELETE": "medium"}
    parser_classes = [MultiPartParser]

    def post(self, request, user_id):
        user = _zoom_user_or_404(request, user_id, "user:write")
        upload = request.FILES.get("pic_file")
        if upload is None:
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, pictures.PictureError.code,
                               "No file uploaded, verify that a file has been uploaded.")
        try:
            pictures.set_picture(user, upload)
        except pictures.PictureError as error:
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, error.code, error.message) from None
        services.audit(request.user, "user.picture_changed", target=user, account=user.account,
                       ip=services.client_ip(request))
        return Response({}, status=status.HTTP_201_CREATED)  # the contract's (empty) JSON object

    def delete(self, request, user_id):
        user = _zoom_user_or_404(request, user_id, "user:write")
        pictures.remove_picture(user)
        services.audit(request.user, "user.picture_removed", target=user, account=user.account,
                       ip=services.client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(operation_id="userZak", responses={200: OpenApiTypes.OBJECT}))
class UserTokenView(APIView):
    """GET /v2/users/{userId}/token?type=zak (and /v2/users/me/zak): a ZAK, the start token the room
    honours (`accounts.zak`). `type=token` (Zoom's default) answers the same kind of token."""

    required_scopes = {"GET": "user:read"}
    rate_limit_classes = {"GET": "light"}

    def get(self, request, user_id="me"):
        user = _zoom_user_or_404(request, user_id, "user:read")
        kind = request.query_params.get("type") or "token"
        if kind not in ("token", "zak"):
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS, "type: Must be token or zak.")
        raw_ttl = request.query_params.get("ttl") or str(zak.DEFAULT_TTL)
        if not raw_ttl.isdigit() or not 1 <= int(raw_ttl) <= zak.MAX_TTL:
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS,
                               f"ttl: Must be between 1 and {zak.MAX_TTL} seconds.")
        services.audit(request.user, "user.zak_issued", target=user, account=user.account,
                       ip=services.client_ip(request), ttl=int(raw_ttl))
        return Response({"token": zak.issue(user, int(raw_ttl))})


class UserCreateSerializer(serializers.Serializer):
    class UserInfo(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        type = serializers.ChoiceField(choices=[1, 2, 99])
        first_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
        last_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
        display_name = serializers.CharField(required=False, allow_blank=True, max_length=128)
        password = serializers.CharField(required=False, allow_blank=True, max_length=128, trim_whitespace=False)

    action = serializers.ChoiceField(choices=["create", "autoCreate", "custCreate", "ssoCreate"])
    user_info = UserInfo()


@extend_schema_view(get=extend_schema(operation_id="users", responses={200: OpenApiTypes.OBJECT}),
                    post=extend_schema(operation_id="userCreate", responses={201: OpenApiTypes.OBJECT}))
class UsersView(APIView):
    """GET /v2/users (the caller's account, paged) and POST /v2/users (a member of it). Admin scopes."""

    required_scopes = {"GET": "user:read:admin", "POST": "user:write:admin"}
    rate_limit_classes = {"GET": "medium", "POST": "light"}

    def get(self, request):
        if not request.user.is_account_admin:
            raise insufficient_scope("user:read:admin")
        wanted = request.query_params.get("status") or "active"
        if wanted not in ("active", "inactive", "pending"):
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS,
                               "status: Must be active, inactive or pending.")
        users = services.account_users(request.user) if wanted == "active" else services.account_users(request.user).none()
        page = paginate(request, users, ordering=("date_joined", "id"), scope=f"users:{request.user.pk}:{wanted}")
        listed = [{key: value for key, value in services.zoom_user(u).items()
                   if key in USER_LIST_FIELDS} for u in page.items]
        return Response({**page.envelope(), "page_number": page.page_number, "users": listed})

    def post(self, request):
        if not request.user.is_account_admin:
            raise insufficient_scope("user:write:admin")
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, info = serializer.validated_data, serializer.validated_data["user_info"]
        if info["type"] == 99 or data["action"] == "ssoCreate":
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS,
                               "action: Single sign-on users (ssoCreate, type 99) are not available.")
        try:
            user = services.create_account_user(
                request.user, data["action"], info["email"], first_name=info.get("first_name", ""),
                last_name=info.get("last_name", ""), display_name=info.get("display_name", ""),
                password=info.get("password", ""), ip=services.client_ip(request))
        except services.AccountsError as exc:
            code = EMAIL_IN_USE if exc.code == "email_in_use" else INVALID_PARAMETERS
            raise ZoomAPIError(exc.status, code, exc.message) from None
        # Every user here may host meetings: Zoom's type 2 (licensed), whatever type was asked.
        return Response({"id": user.public_id, "email": user.email, "first_name": user.first_name,
                         "last_name": user.last_name, "type": 2}, status=status.HTTP_201_CREATED)


USER_LIST_FIELDS = {"id", "email", "first_name", "last_name", "display_name", "type", "pmi", "timezone", "verified",
                    "dept", "created_at", "user_created_at", "last_login_time", "status", "role_id", "language"}
EMAIL_IN_USE = 1005
