"""Settings for the SRO program site.

One module, every value read from the environment with a safe default for
local use (see the table in docs/operations/configuration.md). A local `.env` file is
read when present; `make run` writes one with a random secret key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Fail fast in production: never a fallback key or a wildcard host.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or run `make run`, "
            "which writes a local .env with a random key)."
        )
    # Only reachable with DEBUG on, which never serves the public.
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set; list the site's host names, comma-separated.")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name hosts; a wildcard is refused.")

INSTALLED_APPS = [
    "modeltranslation",  # staff content in each language (programs/translation.py); before the admin
    "sro_site.apps.StaffAdminConfig",  # Django's admin, behind a second factor (sro_site/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "crispy_forms",
    "phonenumber_field",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "programs",
    "program_data",
    "inbox",  # what the public sends from a program page: presentation requests, questions, barriers
    "officer_feedback",  # complaints and commendations, for the agency's professional-standards unit
    "accounts",
    "agreements",
    "training",
    "editor_home",
    "updates",  # news and events from a program: pages, Atom feeds, calendars, email subscriptions
    "open_data",  # the read-only API, CSV downloads and data catalog; after the apps whose content it publishes
    "corsheaders",
    "maintenance",  # backups and restore, retention of the public's personal data
    "page_cache",  # the cache of anonymous pages by tag versions, and its invalidation (plumbing)
    "shared_cache",  # Varnish or a CDN in front: its headers, keys and purges, from the page cache's tags (plumbing)
    "site_ops",  # rate limits, /healthz, /metrics, Sentry (plumbing)
    "languages",  # the site in English and Spanish: language link, admin language, catalogue checks
    "sro_site",  # the project, composing the apps above: `load_demo`
]

MIDDLEWARE = [
    # HEAD answered with a GET's headers and no body (site_ops/head_requests.py says why first).
    "site_ops.head_requests.HeadWithoutBodyMiddleware",
    # Metrics (site_ops/metrics.py): first, so every response is counted and timed,
    # the pages the page cache serves included.
    "site_ops.metrics.MetricsBeforeMiddleware",
    "site_ops.metrics.MetricsAfterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The open data (API, CSV files, /data.json): CORS, then its rate limit, before the page cache answers.
    "corsheaders.middleware.CorsMiddleware",
    "open_data.middleware.OpenDataMiddleware",
    # ETag and 304 Not Modified, for fresh pages and cached ones alike.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous pages from the shared cache, before sessions are even looked
    # at; the headers of the middleware below are stored with each page.
    # With a shared cache in front (SHARED_CACHE): who may keep each response, and its keys.
    "shared_cache.headers.SharedCacheHeadersMiddleware",
    "page_cache.pages.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a public page is its address's (/es/...); the admin's is
    # the staff member's browser's (languages/middleware.py).
    "django.middleware.locale.LocaleMiddleware",
    "languages.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RenewStaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the content history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Locks out repeated failed log-ins; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "sro_site.urls"
WSGI_APPLICATION = "sro_site.wsgi.application"

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
                "programs.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Reuse connections between requests, and check them first so a dropped
# database connection (restart, failover) recovers without restarting gunicorn.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Read the database file through memory mapping: the threads of a worker each
    # hold a connection, and each connection's own page cache started cold; mapped
    # pages are the operating system's, shared by every connection and worker
    # (school search at national size: 150-170 -> 195-214 req/s, bench/national.py).
    SQLITE_MMAP_BYTES = env.int("SQLITE_MMAP_BYTES", default=256 * 1024 * 1024)
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}"
# PostgreSQL: each gunicorn worker shares a pool of at most DATABASE_POOL_SIZE
# connections among its threads (gunicorn.conf.py runs GUNICORN_THREADS per
# worker). A connection per thread would be hundreds per instance, past
# PostgreSQL's max_connections (100 by default) with a few instances; a thread
# waits for a free connection instead (at most 10 s, then an error page).
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=8)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Its search lookups and full-text types, for the school search (programs/search.py).
    INSTALLED_APPS.insert(INSTALLED_APPS.index("programs"), "django.contrib.postgres")
    if DATABASE_POOL_SIZE > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_SIZE,
            "timeout": 10,
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections (Django requires 0 with it)

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="sro")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "page_cache.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Fail fast when Redis is down: pages then render from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Without Redis, a cache on local disk: every gunicorn worker of this host
    # shares it, so a change invalidates the cached page in all of them and the
    # form rate limit counts across them (a per-process memory cache would
    # keep serving a stale page from the other workers). The folder also holds
    # the file through which each save reaches every worker's in-memory pages
    # (page_cache/pushed.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / env.str("CACHE_DIR", default=".cache")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Culling only ever drops entries: a lost tag version re-renders its pages.
            # Kept small: the file cache lists its whole folder on every write.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# The school search's rendered result cards (programs/search_cards.py). Their
# keys hold the tag versions read from the default cache, so a copy per
# process is never stale; without Redis they stay in each worker's memory:
# 20 writes to the file cache list its folder 20 times (2 ms each at 2,000
# files), and a national site's cards would crowd out the tag versions and
# rate-limit counters.
CACHES["cards"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "school-cards",
        "OPTIONS": {"MAX_ENTRIES": 5000},  # about 1 KB each
    }
)

# Per-address rate-limit counts (site_ops/ratelimit.py): Redis, or a folder of the
# file cache of their own: the file cache lists its whole folder on every write,
# and the API writes a count on every request.
CACHES["counters"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(CACHES["default"]["LOCATION"]) / "counters"),
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        # A minute's addresses; past it a third are dropped at random (their counts start again).
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the addresses the site always had, Spanish under /es/ (sro_site/urls.py).
# A third language: docs/developer/translations.md, "Adding a language".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Staff content (programs/translation.py): where a Spanish text is missing, the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed (gzip + brotli) files with far-future cache headers.
    # Tests turn the manifest off (STATIC_MANIFEST=false) so they need no collectstatic.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# HTTPS hardening, on by default whenever DEBUG is off. `make run` sets
# HTTPS=false because it serves plain HTTP on 127.0.0.1.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

PHONENUMBER_DEFAULT_REGION = "US"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

CRISPY_TEMPLATE_PACK = "uswds"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["uswds"]

# Wording of the site banner at the top of every page. The stock USWDS text is
# written for federal .gov sites; a county site says who really runs it.
# The defaults are translated (the catalogue has them); a county's own wording is shown as written.
SITE_NAME = env.str("SITE_NAME", default=gettext_noop("School Resource Officer Programs"))
SITE_BANNER_TEXT = env.str(
    "SITE_BANNER_TEXT",
    default=gettext_noop("A public information site about county School Resource Officer programs"),
)
SITE_OPERATOR = env.str("SITE_OPERATOR", default=gettext_noop("the participating county law-enforcement agencies"))

# One JSON object per line on stdout: what container platforms collect and search.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The same formatter as gunicorn's lines: one JSON object (time in UTC, ISO 8601, level,
    # logger, message), or one line of text at a terminal or with LOG_FORMAT=text (sro_site/logs.py).
    "formatters": {"site": {"()": "sro_site.logs.site_formatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "site", "stream": "ext://sys.stdout"}},
    "filters": {"refusals_without_traceback": {"()": "sro_site.logs.RefusalsWithoutTraceback"}},
    "loggers": {"django.request": {"filters": ["refusals_without_traceback"]}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The admin's path; moving it off the well-known /admin/ cuts drive-by login attempts.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# Strict Content-Security-Policy: no inline script or style anywhere, so an
# injected <script> cannot run. JSON-LD data blocks are not scripts to CSP.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

# Load balancers probe /healthz, and monitoring scrapes /metrics, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# The anonymous page cache (page_cache/pages.py). Entries also expire after
# PAGE_CACHE_SECONDS, a bound on staleness should a change bypass the signals.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

# A shared cache in front of the site (shared_cache/): Varnish, or a CDN. With one, anonymous
# public pages say `s-maxage=SHARED_CACHE_SECONDS`, carry their page-cache tags as the cache's
# surrogate keys, and every change purges those keys there once it commits. `none` (the
# default) leaves every header as it was. See docs/operations/shared-cache.md.
SHARED_CACHES = ("none", "varnish", "fastly", "cloudflare", "akamai")
SHARED_CACHE = env.str("SHARED_CACHE", default="none").strip().lower()
if SHARED_CACHE not in SHARED_CACHES:
    raise ImproperlyConfigured(f"SHARED_CACHE must be one of {', '.join(SHARED_CACHES)}, not {SHARED_CACHE!r}.")
SHARED_CACHE_SECONDS = env.int("SHARED_CACHE_SECONDS", default=86400)
# A purge is sent again after this many seconds (0: never): a page rendered from the old data
# just before a change can reach the cache after the change's purge did.
SHARED_CACHE_REPURGE_SECONDS = env.float("SHARED_CACHE_REPURGE_SECONDS", default=2.0)
# Where purges go: Varnish's addresses (each receives every purge), or the CDN's API (tests and
# proxies only; each CDN's own address is the default).
SHARED_CACHE_PURGE_URLS = env.list("SHARED_CACHE_PURGE_URLS", default=["http://127.0.0.1:6081/"])
SHARED_CACHE_API_URL = env.str("SHARED_CACHE_API_URL", default="")
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
CLOUDFLARE_ZONE_ID = env.str("CLOUDFLARE_ZONE_ID", default="")
CLOUDFLARE_API_TOKEN = env.str("CLOUDFLARE_API_TOKEN", default="")
# Akamai's Fast Purge API, with an EdgeGrid API client's credentials (its .edgerc's values).
AKAMAI_HOST = env.str("AKAMAI_HOST", default="")
AKAMAI_CLIENT_TOKEN = env.str("AKAMAI_CLIENT_TOKEN", default="")
AKAMAI_CLIENT_SECRET = env.str("AKAMAI_CLIENT_SECRET", default="")
AKAMAI_ACCESS_TOKEN = env.str("AKAMAI_ACCESS_TOKEN", default="")
AKAMAI_NETWORK = env.str("AKAMAI_NETWORK", default="production")
_SHARED_CACHE_NEEDS = {
    "fastly": ("FASTLY_SERVICE_ID", "FASTLY_API_TOKEN"),
    "cloudflare": ("CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN"),
    "akamai": ("AKAMAI_HOST", "AKAMAI_CLIENT_TOKEN", "AKAMAI_CLIENT_SECRET", "AKAMAI_ACCESS_TOKEN"),
}
_missing = [name for name in _SHARED_CACHE_NEEDS.get(SHARED_CACHE, ()) if not vars()[name]]
if _missing:
    raise ImproperlyConfigured(f"SHARED_CACHE={SHARED_CACHE} needs {', '.join(_missing)}: a purge could not be sent.")

# Email: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587;
# by default messages are printed to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # a dead mail server must not hold a worker
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sro-site@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where requests go when a program has no contact email.
SUBMISSIONS_FALLBACK_EMAIL = env.str("SUBMISSIONS_FALLBACK_EMAIL", default="")

# Public forms: at most FORM_RATE_LIMIT submissions per FORM_RATE_WINDOW
# seconds from one address, counted in the shared cache (all instances).
FORM_RATE_LIMIT = env.int("FORM_RATE_LIMIT", default=5)
FORM_RATE_WINDOW = env.int("FORM_RATE_WINDOW", default=600)
# How many proxies (load balancer, CDN) put the client address in
# X-Forwarded-For; 0 trusts only the connection's own address.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Staff sign-in (accounts/): password, then a second factor (authenticator
# app, passkey or backup code), required in production; optional under DEBUG
# so local set-up stays quick. Anyone without one sets it up at first sign-in.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "admin:index"
# Staff sessions end after a working day without activity (their requests
# renew them: accounts/middleware.py); the public's pages never start a session.
SESSION_COOKIE_AGE = int(env.float("STAFF_SESSION_HOURS", default=8) * 3600)
# Invitation links (add_editor, "Invite an editor") and password-reset links.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 3600
# The site's address, for links in emails sent from the command line.
SITE_URL = env.str(
    "SITE_URL",
    default=(f"https://{ALLOWED_HOSTS[0]}" if HTTPS else f"http://{ALLOWED_HOSTS[0]}:{env.str('PORT', default='8000')}")
    if ALLOWED_HOSTS
    else "http://localhost:8000",
).rstrip("/")
# Passkeys (django-otp-webauthn): as the second step, never instead of the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = SITE_NAME
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="")
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
# Checked by the library at start-up; the helper accepts the origin of the host in use.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS] + ["http://localhost"]
# No "AXES: BEGIN version..." line from every process and management command (make run
# printed it five times).
AXES_VERBOSE = False
# Lock an account-and-address pair for an hour after 5 failures, of the
# password or of the second step alike.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are forgotten once both steps pass (accounts/signin.py), not after the password alone.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "site_ops.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# Uploaded photos: refused above these limits, with a message saying why.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
IMAGE_MIN_WIDTH = 320

# Files given to `import_schools`, and officer spreadsheets (`import_officers`, the
# Officer admin's Import page): refused above this size, before anything is read.
# A state's file of the federal school directory is a few MB; the national one may
# be larger than the default (raise it for that one import, or use a state's file).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)

# Officer spreadsheets (django-import-export, programs/officer_import.py): each import
# in one transaction; any export has formulas neutralised (cells starting with "=").
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True  # a workbook's empty rows are not officers

# Agreements (MOUs) with partner school districts (agreements/): a signed PDF is
# refused above this size; an agreement is "review due" this many days before
# its review or expiry date, when `send_review_reminders` sends the first reminder.
AGREEMENT_PDF_MAX_BYTES = env.int("AGREEMENT_PDF_MAX_BYTES", default=20 * 1024 * 1024)
REVIEW_DUE_DAYS = env.int("REVIEW_DUE_DAYS", default=60)
# Programs' yearly figures (program_data/): a count about students from 1 to
# SMALL_COUNT_THRESHOLD - 1 is never published ("fewer than 10"), and counts
# that would let one be worked out are hidden with it (program_data/privacy.py).
SMALL_COUNT_THRESHOLD = env.int("SMALL_COUNT_THRESHOLD", default=10)
if SMALL_COUNT_THRESHOLD < 3:
    raise ImproperlyConfigured("SMALL_COUNT_THRESHOLD must be 3 or more: 'fewer than 2' would say the count is 1.")
# The editor's home and its weekly digest (editor_home/): a program page is
# "review due" when last reviewed longer ago than this, and a digest reminds
# about the same item at most once in EDITOR_REMINDER_DAYS.
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=180)
EDITOR_REMINDER_DAYS = env.int("EDITOR_REMINDER_DAYS", default=30)

# Updates and events (updates/): a subscription's confirmation link expires after
# SUBSCRIPTION_CONFIRMATION_HOURS (the address is deleted then if unconfirmed), and
# send_pending_notifications sends the subscribers' emails UPDATE_EMAIL_BATCH_SIZE at a time
# over one connection to the mail server.
SUBSCRIPTION_CONFIRMATION_HOURS = env.int("SUBSCRIPTION_CONFIRMATION_HOURS", default=72)
UPDATE_EMAIL_BATCH_SIZE = env.int("UPDATE_EMAIL_BATCH_SIZE", default=200)

# Open data (open_data/): the read-only API at /api/v1/, CSV files and /data.json.
# At most API_RATE_LIMIT requests a minute from one address (429 and Retry-After after).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
# CORS (django-cors-headers): any origin may read the open data, with GET alone and no cookies.
CORS_URLS_REGEX = r"^/(api/v1/|([a-z]{2}/)?data\.json$|([a-z]{2}/)?open-data/[\w-]+\.csv$)"  # also under /es/
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After"]
# The licence of the open data: public records are in the public domain unless the agencies say otherwise.
# Its default name is translated (the catalogue has it), as the site's wording above.
OPEN_DATA_LICENSE_NAME = env.str("OPEN_DATA_LICENSE_NAME", default=gettext_noop("Public domain (CC0 1.0)"))
OPEN_DATA_LICENSE_URL = env.str("OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/publicdomain/zero/1.0/")
# The catalog's (/data.json) contact point: an address that answers questions about the data.
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
# Running the site for years (maintenance/): where `backup` writes its archives, and
# how long the personal data in a closed submission (presentation request, question,
# complaint) is kept before `purge_expired_submissions` erases it.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
SUBMISSION_RETENTION_DAYS = env.int("SUBMISSION_RETENTION_DAYS", default=1095)
# Knowing when something is wrong (site_ops/): /metrics in Prometheus's format, answered
# only to these addresses or networks (the client's, as NUM_PROXIES reads it), 404 to others.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# Error reports to Sentry, off unless a DSN is given; the public's data is scrubbed (site_ops/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from site_ops import sentry

    MIDDLEWARE.insert(0, "site_ops.sentry.ScrubPostedValuesMiddleware")
    sentry.init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
