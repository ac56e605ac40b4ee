# What differs from one site to the next: the gunicorn instances behind Varnish, and who may
# purge. Included by default.vcl; edit this file, not that one. Two instances on this host here
# (ports 8001 and 8002, as docs/operations/deploying.md sets them up). Put the site's host name,
# one of ALLOWED_HOSTS, in .host_header: Varnish asks /healthz with it (without one it would say
# `Host: 127.0.0.1`, which the site refuses, and Varnish would take every instance for down).

backend gunicorn_1 {
    .host = "127.0.0.1";
    .port = "8001";
    .host_header = "sro.example.org";
    .probe = { .url = "/healthz"; .interval = 2s; .timeout = 1s; .window = 5; .threshold = 3; }
}

backend gunicorn_2 {
    .host = "127.0.0.1";
    .port = "8002";
    .host_header = "sro.example.org";
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
