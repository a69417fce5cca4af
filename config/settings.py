"""Settings, all read from the environment with safe development defaults.

Nothing secret is written here: SECRET_KEY, the Janus secrets and passwords come from the
environment (or NAME_FILE). DEBUG is off unless asked for, and then SECRET_KEY is required.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env, envbool, envint, envlist, kept_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = kept_secret(VAR_DIR, "secret_key")  # generated and kept, like bin/dev does

SITE_NAME = env("SITE_NAME", "Confer")
SITE_ROOT = env("SITE_ROOT", "http://localhost:8000").rstrip("/")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_ROOT)
# Reverse proxies (CIDRs) whose X-Forwarded-For / X-Forwarded-Proto are believed (docs/deploy.md).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_ratelimit",
    "channels",
    "corsheaders",
    "config.apps.CoreConfig",
    "accounts",
    "meetings",
    "recordings",
    "summaries",
    "qos",
    "whiteboards",  # the room's shared whiteboard (issue 16)
    "mind",
    "notifications",
    "webhooks",  # event subscriptions and deliveries (issue 19)
]

MIDDLEWARE = [
    # First: the real client address behind TRUSTED_PROXIES (config/client_address.py).
    "config.client_address.ClientAddressMiddleware",
    "config.limits.BodySizeLimitMiddleware",  # JSON bodies over JSON_BODY_MAX_BYTES answer 413
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.PageLocaleMiddleware",  # the page language (profile, then browser); /v2 stays English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffMFAMiddleware",  # staff without MFA: enrolment only
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a lockout into a 429 (accounts.ratelimit.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# PostgreSQL only (psycopg 3). The default points at the private cluster `bin/dev` runs.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://confer@127.0.0.1:54329/confer"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# HTTP requests one web process runs at once, each on a thread of its pool (config.http_threads); the
# rest wait their turn. At or under DB_POOL_MAX_SIZE, a request never waits for a database connection.
# Two gave the most throughput on /v2 (docs/scaling.md); raise it if views wait on a slow upstream.
WEB_THREADS = envint("WEB_THREADS", 2)
# Streamed responses (recordings played or downloaded) one web process sends at once, past their view.
WEB_STREAM_THREADS = envint("WEB_STREAM_THREADS", 32)
if WEB_THREADS < 1 or WEB_STREAM_THREADS < 1:
    raise ImproperlyConfigured("WEB_THREADS and WEB_STREAM_THREADS must be at least 1.")
# Connections come from psycopg's pool (one pool per process): not a new PostgreSQL backend per request,
# nor persistent connections (DB_CONN_MAX_AGE), one per thread that ever used the database, which
# Django's per-request ASGI threads piled up until PostgreSQL refused clients. The pool caps a process
# at DB_POOL_MAX_SIZE; a request waits up to DB_POOL_TIMEOUT seconds for a free one. Budget
# (docs/scaling.md): WEB_CONCURRENCY x DB_POOL_MAX_SIZE + the other processes' (worker children, beat, streamer, transcriber: ~2 each)
# + a few for manage.py must stay under PostgreSQL's max_connections (100, 3 kept for superusers).
if envbool("DB_POOL", True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # Django has the pool check a connection before lending it
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": envint("DB_POOL_MIN_SIZE", 2),
        "max_size": envint("DB_POOL_MAX_SIZE", 20),
        "timeout": envint("DB_POOL_TIMEOUT", 10),
    }
# Hot-path SQL (config.db.prepared_cursor) is prepared on a connection from its Nth execution there;
# the ORM's client-binding cursors never are. Empty turns preparation off (PgBouncer in transaction mode).
_prepare_threshold = env("DB_PREPARE_THRESHOLD", "5")
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(_prepare_threshold) if _prepare_threshold else None
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:63799/0")
CACHES = {
    "default": {
        # Django's Redis backend, one client and pool per process (config/cache.py: Django makes one per request).
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "confer",
    }
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py 8 times socket reads out after 5 s by default, exactly channels_redis's blocking
        # BZPOPMIN timeout: every consumer idle for 5 s crashed. Reads may take a little longer.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}], "prefix": "confer:channels"},
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "confer")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Janus rooms and sessions left behind by ended conferences or dead processes.
    "mind-reconcile-janus": {"task": "mind.engine.tasks.reconcile_janus", "schedule": 300.0},
    # Conferences past their endingAt (the Mind API's 24-hour limit) end: sockets close with 4000.
    "mind-end-expired-conferences": {"task": "mind.tasks.end_expired_conferences", "schedule": 60.0},
    # Streamings whose streamer died are restarted, forwarders of finished ones released.
    "mind-reconcile-streamings": {"task": "mind.engine.tasks.reconcile_streamings", "schedule": 60.0},
    # Participants of SIP calls whose sip process died (and did not start again) go offline.
    "mind-reconcile-sip-calls": {"task": "mind.engine.tasks.reconcile_sip_calls", "schedule": 60.0},
}
# "Starts soon" e-mails (notifications app): each due reminder once, per person's choice.
CELERY_BEAT_SCHEDULE["notifications-meeting-reminders"] = {"task": "notifications.tasks.send_meeting_reminders",
                                                          "schedule": 60.0}
CELERY_IMPORTS = ["mind.engine.tasks"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The pages' languages (docs/design.md): the browser's Accept-Language picks one (LocaleMiddleware).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# --- Accounts: sign-in, MFA, lockout, rate limits, OAuth 2.0 server (accounts app) -------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out users before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: lock a (username, IP) pair out after repeated failed sign-ins or MFA codes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.ratelimit.axes_username"  # the email, lower-cased
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.ratelimit.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_ip"  # REMOTE_ADDR as ClientAddressMiddleware set it
# Redis-backed request limits (django-ratelimit on the default cache), "count/period" per client IP
# and per account name. They apply to the sign-in form, MFA verification and the token endpoint.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "accounts.ratelimit.ratelimited_response"
# django-ratelimit 4.1 predates Django's own RedisCache in its support list; it has the atomic
# add/incr the limiter needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
AUTH_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", "20/m"),
    "mfa": env("RATE_LIMIT_MFA", "10/m"),
    "token": env("RATE_LIMIT_TOKEN", "60/m"),
}
# /v2 rate limits per account and per token, in Zoom's request classes (accounts/throttling.py);
# Zoom's Pro-plan figures per second, and a token gets the whole account's budget by default.
API_RATE_LIMITS = {
    "light": env("API_RATE_LIMIT_LIGHT", "30/s"),
    "medium": env("API_RATE_LIMIT_MEDIUM", "20/s"),
    "heavy": env("API_RATE_LIMIT_HEAVY", "10/s"),
}
API_TOKEN_RATE_LIMITS = {
    "light": env("API_TOKEN_RATE_LIMIT_LIGHT", API_RATE_LIMITS["light"]),
    "medium": env("API_TOKEN_RATE_LIMIT_MEDIUM", API_RATE_LIMITS["medium"]),
    "heavy": env("API_TOKEN_RATE_LIMIT_HEAVY", API_RATE_LIMITS["heavy"]),
}
# django-otp: TOTP enrolment shows this issuer in authenticator apps.
OTP_TOTP_ISSUER = SITE_NAME
OTP_BACKUP_CODE_COUNT = 10
MFA_PENDING_SECONDS = 300  # how long a password-checked sign-in may wait for its MFA code
# How often a token's "last used" time is written (at most once per interval, gated in Redis).
TOKEN_LAST_USED_INTERVAL = 60
# Seconds an access token's lookup stays cached (accounts.auth_cache; revocation still counts at once).
TOKEN_CACHE_SECONDS = int(env("TOKEN_CACHE_SECONDS", "60"))
# Seconds a user's row stays cached for /v2 authentication: changes made through Django count at
# once; a change made outside it (SQL by hand) counts after this long at most.
USER_ROW_CACHE_SECONDS = int(env("USER_ROW_CACHE_SECONDS", "30"))
# django-oauth-toolkit: the authorization server. Tokens are stored hashed (RFC 9700 storage),
# client secrets hashed with Django's hashers, PKCE (S256) required, no implicit/password grants.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "user:read": "View your user information",
        "user:read:admin": "View users of your account",
        "meeting:read": "View your meetings",
        "meeting:read:admin": "View all meetings of your account",
        "meeting:write": "Create and manage your meetings",
        "meeting:write:admin": "Create and manage all meetings of your account",
        "meeting:write:sip_dialing": "Dial SIP devices into your meetings",
        "meeting:master": "Manage meetings of your account (master)",
        "recording:read": "View your cloud recordings",
        "recording:read:admin": "View all cloud recordings of your account",
        "recording:write": "Manage your cloud recordings",
        "recording:write:admin": "Manage all cloud recordings of your account",
        "meeting_summary:read": "View your meeting summaries",
        "meeting_summary:read:admin": "View all meeting summaries of your account",
        "dashboard:read": "View your dashboards",
        "dashboard:read:admin": "View your account's dashboards",
        "dashboard_meetings:read:admin": "View your account's meeting dashboards and QoS",
        "token:manage": "List and revoke your API tokens (/auth/tokens)",  # only when asked for by name
    },
    "SCOPES_BACKEND_CLASS": "accounts.oauth.ZoomScopes",
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.ConferOAuth2Validator",
    "OAUTH2_SERVER_CLASS": "accounts.oauth.ConferOAuth2Server",
    "ACCESS_TOKEN_EXPIRE_SECONDS": envint("OAUTH_ACCESS_TOKEN_SECONDS", 3600),  # Zoom's: one hour
    "REFRESH_TOKEN_EXPIRE_SECONDS": envint("OAUTH_REFRESH_TOKEN_SECONDS", 90 * 86400),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 300,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",  # always show the approval page
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
# ---------------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@localhost")
# Real SMTP: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these (invitations, notices).
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)

# --- Transport security (docs/deploy.md, docs/security.md) -----------------------------------
# An https SITE_ROOT turns on HSTS, the redirect to https (SECURE_SSL_REDIRECT=0 turns it off, e.g.
# when the proxy redirects) and secure cookies. X-Forwarded-Proto is believed only from
# TRUSTED_PROXIES (config.client_address drops it from anyone else).
HTTPS = SITE_ROOT.startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # /v2 views authenticate with OAuth bearer tokens and check Zoom scopes (accounts app).
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "accounts.permissions.ZoomScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.ZoomRateLimit"],
    "DEFAULT_RENDERER_CLASSES": ["config.rendering.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.rendering.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.api.zoom_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "The Zoom Meeting API v2 compatible REST API (/v2), the Mind API of the embedded media engine "
                   "(/mind/) and the sign-in and token endpoints (/auth/, /oauth/token).",
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/v2",
    # Swagger UI assets ship in a package: the product works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # /mind/ and /auth/ are plain Django views, described by hand (config/openapi.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.openapi.add_hand_kept_documents"],
}

# Janus, the media plane. Only Django talks to it, on loopback.
JANUS_URL = env("JANUS_URL", "http://127.0.0.1:8088/janus")
JANUS_WS_URL = env("JANUS_WS_URL", "ws://127.0.0.1:8188/")
JANUS_ADMIN_URL = env("JANUS_ADMIN_URL", "http://127.0.0.1:7088/admin")
JANUS_API_SECRET = env("JANUS_API_SECRET", kept_secret(VAR_DIR, "janus_api_secret") if DEBUG else None)
JANUS_ADMIN_SECRET = env("JANUS_ADMIN_SECRET", kept_secret(VAR_DIR, "janus_admin_secret") if DEBUG else None)
JANUS_ROOM_ADMIN_KEY = env("JANUS_ROOM_ADMIN_KEY", kept_secret(VAR_DIR, "janus_room_admin_key") if DEBUG else None)
JANUS_RECORDINGS_DIR = Path(env("JANUS_RECORDINGS_DIR", str(MEDIA_ROOT / "janus")))
JANUS_TIMEOUT = envint("JANUS_TIMEOUT", 5)
# A pool of Janus servers (mind/engine/janus_pool.py, docs/scaling.md): entries separated by ";", each
# "NAME WS_URL HTTP_URL ADMIN_URL". Every server shares the secrets above. Unset: the one server above.
def _janus_servers(value: str) -> list[dict[str, str]]:
    servers: list[dict[str, str]] = []
    for entry in filter(str.strip, value.split(";")):
        parts = entry.split()
        if len(parts) != 4 or any(s["name"] == parts[0] for s in servers):
            raise ImproperlyConfigured(f"JANUS_SERVERS: {entry.strip()!r} is not 'NAME WS_URL HTTP_URL ADMIN_URL' "
                                       "with a name of its own")
        servers.append(dict(zip(("name", "ws_url", "url", "admin_url"), parts, strict=True)))
    return servers or [{"name": "default", "ws_url": JANUS_WS_URL, "url": JANUS_URL, "admin_url": JANUS_ADMIN_URL}]


JANUS_SERVERS = _janus_servers(env("JANUS_SERVERS", ""))
# Where the streamer and transcriber receive Janus's rtp_forwards: an address of their own machine
# that every Janus server reaches (loopback while they all share one machine).
MIND_RTP_FORWARD_HOST = env("MIND_RTP_FORWARD_HOST", "127.0.0.1")

# The Mind API (the media platform). The embedded engine serves it under /mind/ for one
# application whose id and token come from here; `mind.client.get_mind()` talks to a remote
# deployment instead when MIND_API_URL is set. Dev defaults only with DEBUG (the seed's shared id).
MIND_APPLICATION_ID = env("MIND_APPLICATION_ID", "00e1db72-c57d-478c-88be-3533d43c8b34" if DEBUG else None)
MIND_APPLICATION_TOKEN = env("MIND_APPLICATION_TOKEN", kept_secret(VAR_DIR, "mind_application_token") if DEBUG else None)
MIND_API_URL = env("MIND_API_URL", "") or None
MIND_CONFERENCE_MAX_DURATION = envint("MIND_CONFERENCE_MAX_DURATION", 24 * 3600)  # seconds
MIND_HTTP_TIMEOUT = envint("MIND_HTTP_TIMEOUT", 10)
# A participant whose socket drops stays online, with its Janus feeds, for this long (resume).
MIND_SESSION_GRACE_SECONDS = envint("MIND_SESSION_GRACE_SECONDS", 15)
# RTMP(S) streaming (the `streamer` process; docs/mind.md): output picture, frame rate, bitrates
# (kbit/s), how many publishers' audio is mixed, and the ffmpeg binary.
MIND_STREAMING_SIZE = env("MIND_STREAMING_SIZE", "1280x720")
MIND_STREAMING_FPS = envint("MIND_STREAMING_FPS", 30)
MIND_STREAMING_VIDEO_KBPS = envint("MIND_STREAMING_VIDEO_KBPS", 2500)
MIND_STREAMING_AUDIO_KBPS = envint("MIND_STREAMING_AUDIO_KBPS", 128)
MIND_STREAMING_AUDIO_SOURCES = envint("MIND_STREAMING_AUDIO_SOURCES", 4)
MIND_STREAMING_PRESET = env("MIND_STREAMING_PRESET", "veryfast")  # x264: ultrafast .. medium (CPU vs quality)
MIND_STREAMING_FFMPEG = env("MIND_STREAMING_FFMPEG", "ffmpeg")
MIND_STREAMING_DIR = Path(env("MIND_STREAMING_DIR", str(VAR_DIR / "streaming")))
# Speech to text (mind.engine.stt; docs/transcription.md). STT_ENGINE: pocketsphinx (offline
# default), openai (any OpenAI-compatible /v1/audio/transcriptions server; PocketSphinx takes over
# when it fails) or a dotted class path. Secrets (the key) only from the environment.
STT_ENGINE = env("STT_ENGINE", "pocketsphinx")
STT_LANGUAGE = env("STT_LANGUAGE", "en")
STT_FALLBACK_COOLDOWN = float(env("STT_FALLBACK_COOLDOWN", "60"))  # seconds a failed engine is left alone
STT_POCKETSPHINX_MODEL = env("STT_POCKETSPHINX_MODEL", "")  # default: the wheel's en-us model
STT_POCKETSPHINX_DICT = env("STT_POCKETSPHINX_DICT", "")
STT_POCKETSPHINX_LM = env("STT_POCKETSPHINX_LM", "")
STT_OPENAI_URL = env("STT_OPENAI_URL", "")  # e.g. http://gpu-box:8000/v1
STT_OPENAI_MODEL = env("STT_OPENAI_MODEL", "whisper-1")
STT_OPENAI_KEY = env("STT_OPENAI_KEY", "")
STT_OPENAI_TIMEOUT = float(env("STT_OPENAI_TIMEOUT", "30"))  # seconds per attempt
STT_OPENAI_RETRIES = envint("STT_OPENAI_RETRIES", 2)
STT_OPENAI_RESPONSE_FORMAT = env("STT_OPENAI_RESPONSE_FORMAT", "verbose_json")  # or json
# Live transcription (the `transcriber` process): recognisers at once (one phrase each; PocketSphinx
# takes ~90 MB and one CPU core while it decodes).
MIND_TRANSCRIBER_RECOGNISERS = envint("MIND_TRANSCRIBER_RECOGNISERS", 2)
# Interim captions (off by default): a phrase still being spoken is decoded every this many seconds
# of speech by one more recogniser process at a lower CPU priority, e.g. 2; it about doubles the
# transcriber's CPU and delays final text when several people speak at once (docs/transcription.md).
MIND_TRANSCRIBER_INTERIM_SECONDS = float(env("MIND_TRANSCRIBER_INTERIM_SECONDS", "0"))
# Browser clients call the Mind API from their own origins with bearer tokens (no cookies), as
# the seeds promise; CORS is open there and nowhere else.
CORS_URLS_REGEX = r"^/mind/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Meetings (meetings app; docs/meetings.md) ---------------------------------------------------
# Zoom limits updates of one meeting to 100 a day (PATCH /meetings/{id} answers 429 past that).
MEETING_UPDATES_PER_DAY = envint("MEETING_UPDATES_PER_DAY", 100)
# SIP URIs from POST /meetings/{id}/sip_dialing: the domain the media engine's SIP ingress answers
# for, and how long a URI's participant code stays valid (seconds).
SIP_DOMAIN = env("SIP_DOMAIN", SITE_ROOT.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0])
SIP_URI_TTL = envint("SIP_URI_TTL", 3600)
# SIP dial-in (docs/mind.md): the sip process listens on SIP_BIND:SIP_PORT (UDP) for calls to those
# URIs; SIP_PORT also goes into the URIs (omitted when 5060). SIP_DIAL_IN_CALLS calls at once; a
# caller waits in the waiting room at most SIP_DIAL_IN_WAIT_SECONDS. The handler decides who gets in.
SIP_DIAL_IN = envbool("SIP_DIAL_IN", True)
SIP_BIND = env("SIP_BIND", "127.0.0.1")
SIP_PORT = envint("SIP_PORT", 5060)
SIP_DIAL_IN_CALLS = envint("SIP_DIAL_IN_CALLS", 8)
SIP_DIAL_IN_WAIT_SECONDS = envint("SIP_DIAL_IN_WAIT_SECONDS", 120)
SIP_PROMPTS_DIR = Path(env("SIP_PROMPTS_DIR", str(VAR_DIR / "sip-prompts")))  # keypad dial-in speech (espeak-ng), cached
SIP_DIAL_IN_HANDLER = env("SIP_DIAL_IN_HANDLER", "meetings.sip.answer_call")
# SIP dial-out (docs/security.md): an account permission with an allow-list (accounts.sip_dial_out).
# The engine asks SIP_DIAL_OUT_POLICY about every dial-out and forward (empty: the engine alone, no
# accounts); SIP_CALLOUT_GATEWAY is the SIP host phone numbers are called through ("" = no phone calls).
SIP_DIAL_OUT_POLICY = env("SIP_DIAL_OUT_POLICY", "meetings.actions.callout.engine_policy")
SIP_CALLOUT_GATEWAY = env("SIP_CALLOUT_GATEWAY", "")
# The Janus SIP plugin's address (rendered into its config too); dial-in gives it to Janus as the
# registrar's address when SIP_BIND is a wildcard.
JANUS_SIP_LOCAL_IP = env("JANUS_SIP_LOCAL_IP", "")
# --- Outbound destinations and abuse limits (config/outbound.py, docs/security.md) -------------
# Internal networks the server may connect to for user-given destinations (streams, SIP, webhooks).
OUTBOUND_ALLOWED_NETWORKS = envlist("OUTBOUND_ALLOWED_NETWORKS", "")
JSON_BODY_MAX_BYTES = envint("JSON_BODY_MAX_BYTES", 256 * 1024)  # larger JSON bodies answer 413
MIND_MESSAGE_MAX_CHARS = envint("MIND_MESSAGE_MAX_CHARS", 10_000)  # one chat message
MIND_STORED_MESSAGES_MAX = envint("MIND_STORED_MESSAGES_MAX", 5_000)  # persistent messages per conference
INVITE_EMAILS_PER_HOUR = envint("INVITE_EMAILS_PER_HOUR", 200)  # participant.invite e-mails per account
MIND_STREAMINGS_MAX = envint("MIND_STREAMINGS_MAX", 20)  # RTMP pushes at once on this server
LIVESTREAMS_PER_ACCOUNT = envint("LIVESTREAMS_PER_ACCOUNT", 2)  # live meetings streamed at once per account
# How long a room ticket (the joiner's proof on /j/<id>/... calls) lives; status answers renew it.
ROOM_TICKET_SECONDS = envint("ROOM_TICKET_SECONDS", 15 * 60)
# Wrong passcodes one client may try on one meeting in 15 minutes before the join endpoint answers 429.
JOIN_PASSCODE_ATTEMPTS = envint("JOIN_PASSCODE_ATTEMPTS", 10)
# Wrong passcodes one meeting takes (from anyone) before each further guess waits exponentially longer.
JOIN_PASSCODE_FREE_FAILURES = envint("JOIN_PASSCODE_FREE_FAILURES", 20)

# --- Cloud recordings (recordings app; docs/recordings.md) ----------------------------------------
# Files go through Django's storage API, alias "recordings": the local filesystem under
# RECORDINGS_ROOT, or an S3-compatible store when RECORDINGS_S3_BUCKET is set (django-storages).
RECORDINGS_ROOT = Path(env("RECORDINGS_ROOT", str(MEDIA_ROOT / "recordings")))
RECORDINGS_STAGING_DIR = Path(env("RECORDINGS_STAGING_DIR", str(VAR_DIR / "recordings-staging")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "recordings": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(RECORDINGS_ROOT), "base_url": None}},
}
if env("RECORDINGS_S3_BUCKET", ""):
    STORAGES["recordings"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env("RECORDINGS_S3_BUCKET", ""),
        "endpoint_url": env("RECORDINGS_S3_ENDPOINT_URL", "") or None,
        "region_name": env("RECORDINGS_S3_REGION", "") or None,
        "access_key": env("RECORDINGS_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env("RECORDINGS_S3_SECRET_ACCESS_KEY", "") or None,
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": False,
    }}
RECORDINGS_URL_TTL = envint("RECORDINGS_URL_TTL", 86400)  # play/download links, seconds
RECORDINGS_TRASH_DAYS = envint("RECORDINGS_TRASH_DAYS", 30)
# The account (its public id) that owns Video SDK sessions: conferences applications create through
# the Mind API. Their recordings are collected for it and listed by /v2/videosdk/...; unset = not collected.
VIDEOSDK_ACCOUNT = env("VIDEOSDK_ACCOUNT", "")
CELERY_BEAT_SCHEDULE["recordings-collect-outstanding"] = {
    "task": "recordings.tasks.collect_outstanding", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["recordings-empty-trash"] = {"task": "recordings.tasks.empty_trash", "schedule": 3600.0}

# --- Summaries (summaries app; docs/summaries.md) ------------------------------------------------
# Which summarizer writes meeting summaries: embedded (default, offline), openai (any
# OpenAI-compatible chat-completions endpoint), ai_summarizer (the external AI Summarizer service).
SUMMARIES_BACKEND = env("SUMMARIES_BACKEND", "embedded")
# Accounts without their own choice get automatic summaries of recorded meetings when this is on.
SUMMARIES_AUTO_DEFAULT = envbool("SUMMARIES_AUTO_DEFAULT", True)
SUMMARIES_OVERVIEW_WORDS = envint("SUMMARIES_OVERVIEW_WORDS", 90)
# Waiting for a complete transcript: first retry after this many seconds (doubling, at most 300),
# at most this many retries; then a partial transcript is summarised rather than none.
SUMMARIES_TRANSCRIPT_RETRY_SECONDS = envint("SUMMARIES_TRANSCRIPT_RETRY_SECONDS", 5)
SUMMARIES_TRANSCRIPT_RETRIES = envint("SUMMARIES_TRANSCRIPT_RETRIES", 10)
SUMMARIES_OPENAI_BASE_URL = env("SUMMARIES_OPENAI_BASE_URL", "")
SUMMARIES_OPENAI_MODEL = env("SUMMARIES_OPENAI_MODEL", "")
SUMMARIES_OPENAI_API_KEY = env("SUMMARIES_OPENAI_API_KEY", "")
SUMMARIES_OPENAI_TIMEOUT = envint("SUMMARIES_OPENAI_TIMEOUT", 60)
SUMMARIES_OPENAI_MAX_CHUNK_CHARS = envint("SUMMARIES_OPENAI_MAX_CHUNK_CHARS", 24000)
SUMMARIES_HTTP_RETRIES = envint("SUMMARIES_HTTP_RETRIES", 3)
SUMMARIES_AI_SUMMARIZER_URL = env("SUMMARIES_AI_SUMMARIZER_URL", "")
SUMMARIES_AI_SUMMARIZER_KEY = env("SUMMARIES_AI_SUMMARIZER_KEY", "")
SUMMARIES_AI_SUMMARIZER_TIMEOUT = envint("SUMMARIES_AI_SUMMARIZER_TIMEOUT", 120)

# --- Quality of service (qos app; docs/qos.md) -----------------------------------------------------
# The engine hands each participant's `qosSample` socket message to this function (empty: refused).
MIND_QUALITY_SAMPLE_HANDLER = env("MIND_QUALITY_SAMPLE_HANDLER", "qos.ingest.receive_sample")
# Samples arriving together are written together (one Redis round trip, one INSERT): a batch waits at
# most this long (seconds) for more, up to this many samples; each sender is answered after the write.
QOS_BATCH_SECONDS = float(env("QOS_BATCH_SECONDS", "0.02"))
QOS_BATCH_SIZE = envint("QOS_BATCH_SIZE", 200)
# Raw browser samples are kept this long (hours); the per-minute roll-up stays.
QOS_RAW_RETENTION_HOURS = max(1, envint("QOS_RAW_RETENTION_HOURS", 72))
# A participant may send at most one sample per this many seconds (the client sends one every 5 s).
QOS_MIN_SAMPLE_INTERVAL = envint("QOS_MIN_SAMPLE_INTERVAL", 4)
# Each roll-up run recomputes the ended minutes of this window (a missed beat costs nothing).
QOS_ROLLUP_WINDOW_MINUTES = envint("QOS_ROLLUP_WINDOW_MINUTES", 10)
CELERY_BEAT_SCHEDULE["qos-roll-up-minutes"] = {"task": "qos.tasks.roll_up_minutes", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["qos-expire-raw-samples"] = {"task": "qos.tasks.expire_raw_samples", "schedule": 3600.0}
# The server's own view (Janus Admin API) of participants who send no samples, this often (s; 0: off).
QOS_SERVER_VIEW_SECONDS = envint("QOS_SERVER_VIEW_SECONDS", 10)
if QOS_SERVER_VIEW_SECONDS > 0:
    CELERY_BEAT_SCHEDULE["qos-server-view"] = {"task": "qos.tasks.collect_server_view",
                                               "schedule": float(QOS_SERVER_VIEW_SECONDS)}

# --- TURN relay for browsers behind NAT and firewalls (config/turn.py, docs/deploy.md) -----------
# coturn with the TURN REST API's shared secret (`use-auth-secret`): every joiner gets a username
# "expiry:id" and its HMAC, valid TURN_CREDENTIAL_TTL seconds. TURN_SECRET unset = no TURN offered.
# TURN_URLS (comma-separated turn:/turns: URIs) overrides the ones made from TURN_HOST and the ports.
TURN_SECRET = env("TURN_SECRET", "")
TURN_HOST = env("TURN_HOST", SITE_ROOT.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0])
TURN_PORT = envint("TURN_PORT", 3478)
TURN_TLS_PORT = envint("TURN_TLS_PORT", 5349)
TURN_URLS = envlist("TURN_URLS") or [
    f"turn:{TURN_HOST}:{TURN_PORT}?transport=udp",
    f"turn:{TURN_HOST}:{TURN_PORT}?transport=tcp",
    f"turns:{TURN_HOST}:{TURN_TLS_PORT}?transport=tcp",
]
TURN_CREDENTIAL_TTL = envint("TURN_CREDENTIAL_TTL", 86400)

# --- Webhooks (webhooks app; docs/webhooks.md) ----------------------------------------------------
# Subscriptions may belong to an OAuth application; Django's swappable-model machinery reads this name.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# Deliveries whose retry is due (and attempts a dead worker left behind) go out from this sweep.
CELERY_BEAT_SCHEDULE["webhooks-deliver-due"] = {"task": "webhooks.tasks.deliver_due", "schedule": 30.0}

# --- Push notifications (push app; docs/push.md) -------------------------------------------------
INSTALLED_APPS += ["push"]
OAUTH2_PROVIDER["SCOPES"].update({  # type: ignore[attr-defined]  # a dict literal above
    "push_device:read": "View the devices that receive your push notifications",
    "push_device:write": "Register and revoke the devices that receive your push notifications",
})
# APNs with token-based authentication: the team's .p8 signing key (PEM text, or PUSH_APNS_KEY_FILE=/path),
# its key id and the team id. Unset: no APNs (registration of APNs tokens is refused).
PUSH_APNS_KEY = env("PUSH_APNS_KEY", "")
PUSH_APNS_KEY_ID = env("PUSH_APNS_KEY_ID", "")
PUSH_APNS_TEAM_ID = env("PUSH_APNS_TEAM_ID", "")
PUSH_APNS_URL = env("PUSH_APNS_URL", "https://api.push.apple.com")
PUSH_APNS_SANDBOX_URL = env("PUSH_APNS_SANDBOX_URL", "https://api.sandbox.push.apple.com")  # development builds
PUSH_APNS_CA_FILE = env("PUSH_APNS_CA_FILE", "")  # trust only this CA bundle for APNs (default: the system's)
PUSH_APNS_TOPICS = envlist("PUSH_APNS_TOPICS")  # bundle ids devices may register (empty: any)
# FCM HTTP v1: the service account's JSON key (text, or PUSH_FCM_SERVICE_ACCOUNT_FILE=/path). Unset: no FCM.
PUSH_FCM_SERVICE_ACCOUNT = env("PUSH_FCM_SERVICE_ACCOUNT", "")
PUSH_FCM_PROJECT_ID = env("PUSH_FCM_PROJECT_ID", "")  # default: the key's project_id
PUSH_FCM_URL = env("PUSH_FCM_URL", "https://fcm.googleapis.com")
PUSH_FCM_CA_FILE = env("PUSH_FCM_CA_FILE", "")
PUSH_TIMEOUT = envint("PUSH_TIMEOUT", 10)  # seconds per request to APNs or FCM
PUSH_MAX_RETRIES = envint("PUSH_MAX_RETRIES", 8)  # 429/5xx/network: retried with backoff this often
PUSH_MAX_DEVICES_PER_USER = max(1, envint("PUSH_MAX_DEVICES_PER_USER", 20))
PUSH_DELIVERY_RETENTION_DAYS = envint("PUSH_DELIVERY_RETENTION_DAYS", 7)
CELERY_BEAT_SCHEDULE["push-send-overdue"] = {"task": "push.tasks.send_overdue", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["push-expire-deliveries"] = {"task": "push.tasks.expire_deliveries", "schedule": 3600.0}
