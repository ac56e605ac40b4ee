# Varnish 7 in front of the site (SHARED_CACHE=varnish), with the xkey module from Debian's
# varnish-modules. What to change per site is in site.vcl (backends, who may purge).
#
# The site says what may be kept: public pages come with `s-maxage` and their keys in `xkey`;
# anything personal says `private, no-store` or sets a cookie, which Varnish never stores. This
# file adds what only Varnish can do: purging by key, passing what is personal without a look-up,
# and keeping the keys to itself.
vcl 4.1;

import cookie;
import directors;
import std;
import xkey;

include "site.vcl";

sub vcl_recv {
    # A purge by key, from the site itself: `xkey-purge: program-7-en program-7-es`. A hard
    # purge: the next request for each page is a miss (a soft purge would serve the old page once).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    set req.backend_hint = gunicorn.backend();
    # A healthy site refreshes an expired page while the old one is served for at most 10 s; a
    # site that is down has its pages served for up to a day (beresp.grace below).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff (the admin and its sign-in pages), health checks and metrics: never looked up.
    # Change admin/ if ADMIN_URL is set to another path. One regex: this runs on every request.
    if (req.url ~ "^/(admin/|(healthz|metrics)(\?|$))") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # A signed-in person (the session cookie) is passed. Anonymous: only the CSRF cookie goes on
    # to the site (a form page gives the token for it, and a cookie-setting response is never
    # stored); any other cookie is dropped. Looked up whatever cookies remain: the site marks
    # what may be shared. A request without cookies, most of them, does none of this.
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        if (cookie.isset("sessionid")) {
            return (pass);
        }
        cookie.keep("csrftoken");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    return (hash);
}

sub vcl_hash {
    # A plain-HTTP request may be answered by a redirect to HTTPS: never the same object.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Headers are settled here, once for each fetch, rather than on every hit: each stored header
    # is copied, logged and written out again with every delivery. X-Cache is stored as "hit"
    # (vcl_deliver says "miss" on the delivery straight from the site); dropped, what no visitor
    # needs: which server made the page, and whether the site's page cache had it (behind
    # Varnish, meaningless to a visitor).
    set beresp.http.X-Cache = "hit";
    unset beresp.http.Server;
    unset beresp.http.X-Page-Cache;
    # Only what the site marks for keeping: without any Cache-Control (a redirect, a 404),
    # nothing; as Varnish's own rules do for a cookie, remembered for 2 minutes as "go to the
    # site" (hit-for-miss), so requests for it never queue behind one another.
    if (!beresp.http.Cache-Control) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    set beresp.grace = 24h;
}

sub vcl_deliver {
    # The keys are for this cache alone.
    unset resp.http.xkey;
    if (obj.hits == 0) {
        set resp.http.X-Cache = "miss";
    }
}
