"""Settings for the newsroom project, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable (see docs/operators/configuration.md). There are no local
settings files.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.routers import replica_databases
from newsroom.version import __version__

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # A readable one-line refusal instead of a traceback.
        sys.exit(
            "newsroom: SECRET_KEY is not set. Set SECRET_KEY in the environment, "
            "or DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("SITE_NAME", default="Newsroom Briefs")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "briefs",
    "newsletters",
    "reversion",
    "nested_admin",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so that a cached page skips everything below; it stores the final
    # response, headers included (briefs/cache.py).
    "briefs.cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Public pages use no nonce (tests/test_security.py), so a cached page can
    # keep the policy header it was made with.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "newsroom.middleware.QueryStringLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers for locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

# Two engines. The public site (pages, stored brief renderings, error pages and
# the sign-in lockout page, which extends the site's base) is rendered by Jinja2,
# several times faster than Django's language: its templates live in
# templates/jinja2/ under their usual names ("base.html", "briefs/...html"), and
# briefs/jinja2.py gives them their filters and helpers. Everything else (the
# admin, API docs, sitemaps, apps' own templates) keeps Django's templates in
# templates/. Jinja2 comes first: the public names are looked up most often.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "briefs.jinja2.environment",
            "context_processors": ["briefs.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "briefs.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replicas, if any: `replica_1`, `replica_2`, ... take the reads.
DATABASES.update(
    replica_databases(
        env.list("DATABASE_REPLICA_URLS", default=[]),
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
    )
)
# Give up on an unreachable PostgreSQL quickly, so that pages answer 503 instead
# of hanging (libpq counts whole seconds; 2 is its smallest timeout).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=2)
# Prepared statements: PostgreSQL plans a query once per connection instead of
# at every run (psycopg prepares a query on its fifth run; server-side binding
# is what lets it). Planning costs the database more than running the pages'
# and the API's indexed reads. A pooler in transaction mode that cannot keep
# prepared statements (PgBouncer before 1.21) needs
# DATABASE_PREPARED_STATEMENTS=0.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        if DATABASE_PREPARED_STATEMENTS:
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", 5)
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite (`make run`): the server's threads and the worker write to one
        # file. A transaction that takes the write lock as it begins waits its
        # turn; one that reads first and writes later fails ("database is
        # locked") when another writer got there in between. A writer waits up
        # to `timeout` seconds. WAL lets pages read while a write goes on.
        options = database.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        options.setdefault("init_command", "PRAGMA journal_mode=WAL")
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsroom")}
# Sites sharing one Redis database keep apart by a prefix each (django-environ
# drops a `key_prefix` given in CACHE_URL for Django's Redis backend).
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # An unreachable Redis degrades to a cache that misses: pages and API
    # answers come from the database instead of failing (newsroom/cache.py).
    CACHES["default"]["BACKEND"] = "newsroom.cache.FailSoftRedisCache"
    CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=CACHE_SOCKET_TIMEOUT,
        socket_timeout=CACHE_SOCKET_TIMEOUT,
    )
# Anonymous pages are served from the cache for up to this long; any change a
# reader could see retires them at once, in every process (briefs/cache.py).
# 0 switches it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Paths the page cache leaves alone besides the admin, the API, previews,
# static files and the health check (briefs/cache.py): comma-separated prefixes.
PAGE_CACHE_EXCLUDED_PREFIXES = env.list("PAGE_CACHE_EXCLUDED_PREFIXES", default=[])
# With Redis, each worker also keeps the pages it served lately in memory, up
# to this size, and trusts the generation it read until Redis notifies a
# change, or for this many seconds at most (a lost notice costs no more).
PAGE_CACHE_WORKER_BYTES = env.int("PAGE_CACHE_WORKER_BYTES", default=16 * 1024 * 1024)
PAGE_CACHE_TRUST_SECONDS = env.float("PAGE_CACHE_TRUST_SECONDS", default=2.0)
# For this long after a change, pages are made from the primary database, not
# a replica that may lag behind.
PAGE_CACHE_PRIMARY_SECONDS = env.float("PAGE_CACHE_PRIMARY_SECONDS", default=5.0)

# Background work (rendering briefs after a change or a deploy) on Django's
# Tasks framework. Empty: tasks wait in the database, needing nothing else;
# `redis://...`: RQ on that Redis; `immediate:`: run at once, in the request.
# `manage.py run_worker` runs the queued tasks.
TASK_QUEUE_URL = env.str("TASK_QUEUE_URL", default="")
if TASK_QUEUE_URL.startswith(("redis://", "rediss://")):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": TASK_QUEUE_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
elif TASK_QUEUE_URL == "immediate:":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif not TASK_QUEUE_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(
        "TASK_QUEUE_URL: give redis://..., immediate: or nothing; "
        f"not {TASK_QUEUE_URL!r}."
    )

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "newsroom.storage.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded files (briefs' lead images) go through Django's storage API: files
# under MEDIA_ROOT, served at MEDIA_URL, by default; MEDIA_STORAGE=s3 keeps them
# in an S3-compatible bucket through django-storages (the `s3` extra), whose
# credentials boto3 reads from the environment (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY). Stored pages name the files, so their addresses must
# not expire: no signed URLs.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="files")
if MEDIA_STORAGE == "s3":
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="").rstrip("/")
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="")
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    if AWS_S3_CUSTOM_DOMAIN:
        media_default = f"https://{AWS_S3_CUSTOM_DOMAIN}/"
    elif AWS_S3_ENDPOINT_URL:
        media_default = f"{AWS_S3_ENDPOINT_URL}/{AWS_STORAGE_BUCKET_NAME}/"
    else:
        media_default = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com/"
elif MEDIA_STORAGE == "files":
    media_default = "/media/"
else:
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE: give files or s3; not {MEDIA_STORAGE!r}."
    )
# Where readers' browsers fetch the files; for S3, the bucket's public address.
MEDIA_URL = env.str("MEDIA_URL", default=media_default)
# Lead images larger than this many bytes, or pixels (a small file can claim
# huge dimensions), are refused.
# Files on another host (a bucket, a CDN) must be allowed by the CSP below.
_media = urlsplit(MEDIA_URL)
MEDIA_ORIGIN = [f"{_media.scheme}://{_media.netloc}"] if _media.netloc else []
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)

LOGIN_URL = "admin:login"
# Where the editorial admin lives; a path of your own keeps it out of the way
# of scripts that try /admin/ on every site.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

AUTHENTICATION_BACKENDS = [
    # django-axes refuses sign-ins while a username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
# Lock the pair, not the address alone: behind a proxy every reader shares one.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same reading of X-Forwarded-For as the API's rate limits (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "briefs.api.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Requests the site refuses before any view runs (see "Limits" in
# docs/operators/security.md): bodies over DATA_UPLOAD_MAX_MEMORY_SIZE bytes get
# 413, query strings over MAX_QUERY_STRING_LENGTH characters get 414.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024
)
# The one-page brief editor posts about 8 fields per bullet.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=3000)
MAX_QUERY_STRING_LENGTH = env.int("MAX_QUERY_STRING_LENGTH", default=2048)
# Plain-text briefs larger than this are refused unread, by the admin's import
# and by `import_brief`.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=256 * 1024)

# Behind a TLS-terminating proxy in production; `manage.py check --deploy` passes
# when these are switched on through the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (Django's own middleware): scripts, styles, images and
# fonts from this site only, and no inline script, style or event handler. The
# only exception is Django's admin, which marks its few inline blocks with the
# request's nonce. Public templates never use the nonce: the page cache replays
# a page's body under a fresh header, where an old nonce would not match (a test
# holds them to it). JSON-LD blocks are data, which browsers neither execute
# nor check against script-src.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGIN],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if CSP_REPORT_URI := env.str("CSP_REPORT_URI", default=""):
    SECURE_CSP["report-uri"] = [CSP_REPORT_URI]

# Permissions-Policy: the site uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "briefs.api.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "briefs.api.permissions.ModelPermissionsOrReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "briefs.api.pagination.KeysetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "briefs.api.throttling.AnonThrottle",
        "briefs.api.throttling.UserThrottle",
    ],
    "DEFAULT_PARSER_CLASSES": ["briefs.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "briefs.api.schema.APIAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Which X-Forwarded-For entry the rate limits believe: the one appended by
    # the outermost proxy we run. With none, the header is ignored, since any
    # client can send one to be counted as someone new each time.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}

# JSON bodies the API reads: at most this many bytes, nested at most this deep
# (briefs/api/parsers.py); beyond either, a 400 naming the limit.
API_MAX_JSON_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
API_MAX_JSON_DEPTH = 32

# /healthz/ready reports the task queue degraded when its oldest task due has
# waited longer than this many seconds (no worker running, or too few).
HEALTH_TASK_MAX_WAIT = 600

# An update of a brief through the API must say which version it edits
# (If-Match), else 428; off only for trusted clients that accept lost updates.
API_REQUIRE_IF_MATCH = env.bool("API_REQUIRE_IF_MATCH", default=True)

# API rate limits, as DRF rate strings ("120/min", "5000/day"); read on each request.
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="120/min")
API_USER_THROTTLE_RATE = env.str("API_USER_THROTTLE_RATE", default="600/min")
# Seconds shared caches may keep an anonymous API answer.
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)

# Webhooks (briefs/webhooks.py). Subscribers on loopback or private addresses
# are refused unless this is on, as it is for local development.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=DEBUG)
# Seconds a subscriber has to answer one delivery.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (
        "Published briefs, the votes they report and the sources they cite, "
        "as JSON. Reading needs no account; writing needs a token "
        "(`Authorization: Token <key>`) or a session of a user with the model "
        "permissions. The partners' guide in the documentation (docs/partners/) "
        "says how to read, sync and subscribe."
    ),
    "VERSION": __version__,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No calls to an outside validator: the docs work offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "briefs.api.schema.add_links",
        "briefs.api.schema.refuse_extra_fields",
    ],
    "ENUM_NAME_OVERRIDES": {
        "BriefStatusEnum": "briefs.models.Brief.Status",
        "VotePositionEnum": "briefs.models.Position",
        "BodyKindEnum": "briefs.models.BodyKind",
    },
}

# CORS: read-only requests to the API from the listed origins only.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Email (newsletters/): the backend and server in one URL, e.g.
# smtp+tls://user:password@mail.example.org:587 (user and password
# percent-encoded). By default a mail server on this machine, as Django has
# always assumed; with DEBUG, the console, which prints each email.
_email = env.email_url_config(
    env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"],
    "password": _email["EMAIL_HOST_PASSWORD"],
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    # Seconds to wait for the mail server before a send fails (and is retried).
    "timeout": env.int("EMAIL_TIMEOUT", default=30),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <briefs@{urlsplit(SITE_URL).hostname}>"
)
# Seconds a reader's link to confirm a subscription works.
NEWSLETTER_CONFIRM_MAX_AGE = env.int("NEWSLETTER_CONFIRM_MAX_AGE", default=72 * 3600)
# Subscription requests accepted per hour from one client address.
NEWSLETTER_SUBSCRIBE_PER_HOUR = env.int("NEWSLETTER_SUBSCRIBE_PER_HOUR", default=10)

# Links that let a reviewer without an account read a draft stop working after this.
BRIEF_SHARE_LINK_MAX_AGE = env.int("BRIEF_SHARE_LINK_MAX_AGE", default=7 * 24 * 3600)
