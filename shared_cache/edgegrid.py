"""Akamai's EdgeGrid request signing (EG1-HMAC-SHA256), as Akamai documents it for its APIs.

No maintained package on PyPI offers it apart from Akamai's own `edgegrid-python`, a
`requests` auth plugin (and `requests` is not a runtime dependency here); the algorithm is a
dozen lines of the standard library.
"""

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

# Akamai hashes at most this much of a POST body (its APIs' `max-body`).
MAX_BODY = 131072


def _hmac(key, message):
    return base64.b64encode(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()).decode()


def authorization(method, url, body, client_token, client_secret, access_token, timestamp=None, nonce=None):
    """The Authorization header for one request (no extra headers signed)."""
    timestamp = timestamp or datetime.now(UTC).strftime("%Y%m%dT%H:%M:%S+0000")
    nonce = nonce or str(uuid.uuid4())
    header = (
        f"EG1-HMAC-SHA256 client_token={client_token};access_token={access_token};timestamp={timestamp};nonce={nonce};"
    )
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    content_hash = ""
    if method.upper() == "POST" and body:
        content_hash = base64.b64encode(hashlib.sha256(body[:MAX_BODY]).digest()).decode()
    data = "\t".join([method.upper(), parts.scheme, parts.netloc, path, "", content_hash, header])
    signature = _hmac(_hmac(client_secret, timestamp), data)
    return f"{header}signature={signature}"
