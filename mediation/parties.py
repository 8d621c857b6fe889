"""The parties' contact details, encrypted at rest, and the mask everyone else sees.

Like a petitioner's identity (petitions.identity), a party's phone, address and ID
number are Fernet-encrypted (sealing.crypto) and decrypted only for the people
`scope.may_see_contacts` names: the case's mediator, its team leader and, for land
mediation, the commune's officials. Lists, the register, exports, figures and
e-mails never carry them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from sealing import crypto

MASK = _("(kept confidential)")
PHONE_PATTERN = r"^\+?[0-9 .-]{8,15}$"
ID_NUMBER_PATTERN = r"^[0-9]{9,12}$"


@dataclass
class Contact:
    phone: str = ""
    address: str = ""
    id_number: str = ""


@dataclass
class PartyData:
    """A party as a form or another app's service hands it over."""

    name: str
    phone: str = ""
    address: str = ""
    id_number: str = ""

    @property
    def contact(self) -> Contact:
        return Contact(phone=self.phone, address=self.address, id_number=self.id_number)


def seal(contact: Contact) -> str:
    return crypto.encrypt(json.dumps(asdict(contact)))


def unseal(token: str) -> Contact:
    plain = crypto.decrypt(token)
    if plain is None:
        return Contact(address=str(_("(cannot be decrypted with the current key)")))
    return Contact(**json.loads(plain)) if plain else Contact()
