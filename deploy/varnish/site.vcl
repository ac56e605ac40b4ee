# What differs from one site to the next: the gunicorn instances behind Varnish, and who may
# purge. Included by default.vcl; edit this file, not that one. Two instances on this host here
# (ports 8001 and 8002, as docs/operations/shared-cache.md sets them up).

backend gunicorn_1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = { .url = "/healthz"; .interval = 2s; .timeout = 1s; .window = 5; .threshold = 3; }
}

backend gunicorn_2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = { .url = "/healthz"; .interval = 2s; .timeout = 1s; .window = 5; .threshold = 3; }
}

sub vcl_init {
    new gunicorn = directors.round_robin();
    gunicorn.add_backend(gunicorn_1);
    gunicorn.add_backend(gunicorn_2);
}

# The hosts whose gunicorn sends purges (SHARED_CACHE_PURGE_URLS points here): the site's own.
acl purgers {
    "127.0.0.1";
    "::1";
}
