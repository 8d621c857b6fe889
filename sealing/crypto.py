"""Encryption at rest for personal data (denouncers' identities, citizens' addresses).

Keys come from FIELD_ENCRYPTION_KEY: one or more Fernet keys, comma-separated, the
first used to encrypt and all tried to decrypt (MultiFernet), so a key can be rotated.
In development, without the setting, a key is derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _cipher_for(keys: str, fallback: str) -> MultiFernet:
    if keys:
        try:
            return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
        except ValueError as exc:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), "
                "comma-separated; create one with: python -c 'from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())'"
            ) from exc
    return MultiFernet([_derived_key(fallback)])


def _derived_key(secret: str) -> Fernet:
    digest = hashlib.sha256(("civic-portal identity|" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def cipher() -> MultiFernet:
    return _cipher_for(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


def configured_keys() -> list[Fernet]:
    """The keys of FIELD_ENCRYPTION_KEY in order (the first encrypts), or the
    development key derived from SECRET_KEY when it is unset."""
    if settings.FIELD_ENCRYPTION_KEY:
        return [
            Fernet(k.strip().encode())
            for k in settings.FIELD_ENCRYPTION_KEY.split(",")
            if k.strip()
        ]
    return [development_key()]


def development_key() -> Fernet:
    """The key used while FIELD_ENCRYPTION_KEY is unset (derived from SECRET_KEY), so
    that a demo's data can be rotated to a real key (rotate_identity_key)."""
    return _derived_key(settings.SECRET_KEY)


# Every Fernet token starts so: the version byte 0x80 and a timestamp's high bytes.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str | None:
    """The plain text, or None when no configured key opens the token."""
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def keyed_digest(text: str, *, purpose: str) -> str:
    """An HMAC of `text`: comparable, but no way back without the secret."""
    key = (purpose + "|" + settings.SECRET_KEY).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
