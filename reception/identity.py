"""The visitor's identity (and a delegation's representatives), encrypted at rest.

The amended Law on Citizen Reception (Luật 136/2025/QH15) has people who come to
complain, denounce or petition identify themselves. The identity is stored
Fernet-encrypted (sealing.crypto); the ID number also as a keyed digest, so that a
returning citizen is recognised (same digest) without the number in the clear. A
denouncer's identity is a state secret (Law on Denunciations arts. 8, 9, 47): it is
decrypted only for the visit's own reception officers and leads, each time logged
(services.visit_reveal_identity).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from sealing import crypto

MASK = _("Citizen (identity sealed)")


@dataclass
class Representative:
    name: str = ""
    id_number: str = ""


@dataclass
class Visitor:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representatives: list[Representative] = field(default_factory=list)


def seal(visitor: Visitor) -> str:
    return crypto.encrypt(json.dumps(asdict(visitor)))


def unseal(token: str) -> Visitor:
    plain = crypto.decrypt(token)
    if plain is None:
        return Visitor(name=str(_("(cannot be decrypted with the current key)")))
    if not plain:
        return Visitor()
    data = json.loads(plain)
    people = [Representative(**r) for r in data.pop("representatives", [])]
    return Visitor(**data, representatives=people)


def id_digest(id_number: str) -> str:
    """The keyed digest of a citizen ID number (the schedules app's bookings use the same
    purpose, so a booked visitor is the same citizen at the desk); '' without a number."""
    number = "".join(ch for ch in id_number if ch.isdigit())
    return crypto.keyed_digest(number, purpose="citizen-id") if number else ""
