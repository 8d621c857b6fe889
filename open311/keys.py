"""Partner API keys: random, shown once, stored as a keyed digest.

A key is a password another system sends with every filing; a leaked database must
not hand it out, so only its HMAC is kept (sealing.crypto.keyed_digest, with the
site's secret). The digest is deterministic, so a request's key is one indexed lookup.
"""

from __future__ import annotations

import secrets

from sealing.crypto import keyed_digest

PREFIX_LENGTH = 8


def new_key() -> str:
    # 32 random bytes, URL-safe: fits a form field or a query string unescaped.
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return keyed_digest(key.strip(), purpose="open311-api-key")
