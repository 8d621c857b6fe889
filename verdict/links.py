"""The link in a citizen's e-mail that opens the opinion page of their case without the
tracking code: the petition's reference signed with the site's secret (Django's
signing), valid while the citizen may still answer."""

from __future__ import annotations

import binascii
import zlib

from django.core import signing
from django.urls import reverse

from petitions.models import Petition

SALT = "verdict.answer-link"
# Long enough for a resolved case to close (30 or 45 days) and a late reader.
MAX_AGE_SECONDS = 120 * 24 * 3600


def token_for(reference: str) -> str:
    return signing.dumps(reference, salt=SALT, compress=True)


def reference_of(token: str) -> str | None:
    """The reference a token was made for, or None when forged, mangled or too old."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, UnicodeError, binascii.Error, zlib.error):
        # Forged, expired, or bytes that are no token at all (a client's garbage).
        return None
    return value if isinstance(value, str) else None


def answer_link(petition: Petition | str) -> str:
    """The site-relative address of the opinion page, signed for its e-mail."""
    reference = petition if isinstance(petition, str) else petition.reference
    return reverse("verdict:answer", args=[reference]) + "?t=" + token_for(reference)
