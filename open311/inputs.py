"""POST requests' form fields, checked as GeoReport v2 names them; every problem is
collected, so a client learns them all in one 400 error array."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _

from agencies.models import AdministrativeUnit
from petitions.identity import PHONE_PATTERN

from .catalogue import COMMUNE_ATTRIBUTE, SUBJECT_ATTRIBUTE, Service

# The specification's limit for description.
DESCRIPTION_MAX = 4000
SUBJECT_MAX = 200


@dataclass
class Filing:
    description: str
    subject: str
    commune: AdministrativeUnit
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    media_url: str = ""


def _coordinate(value: str, limit: float) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and -limit <= number <= limit


def _location_problems(data: QueryDict) -> list[str]:
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    problems = []
    if bool(lat) != bool(long):
        problems.append(_("lat and long must be sent together."))
    elif lat and not (_coordinate(lat, 90) and _coordinate(long, 180)):
        problems.append(_("lat and long must be WGS84 degrees (lat −90…90, long −180…180)."))
    if not (lat or data.get("address_string", "").strip() or data.get("address_id", "").strip()):
        problems.append(_("A location is required: lat and long, address_string or address_id."))
    return problems


def _contact_problems(email: str, phone: str, media_url: str) -> list[str]:
    problems = []
    try:
        if email:
            EmailValidator()(email)
    except ValidationError:
        problems.append(_("email is not a valid e-mail address."))
    if phone and not re.match(PHONE_PATTERN, phone):
        problems.append(_("phone must have 8 to 15 digits."))
    try:
        if media_url:
            URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        problems.append(_("media_url is not a valid http(s) URL."))
    return problems


def parse_filing(
    data: QueryDict, service: Service, commune_of: Callable[[str], AdministrativeUnit | None]
) -> Filing | list[str]:
    """The filing, or every problem with it (each one error of the 400 array)."""
    description = data.get("description", "").strip()
    subject = data.get(f"attribute[{SUBJECT_ATTRIBUTE}]", "").strip()
    commune_code = data.get(f"attribute[{COMMUNE_ATTRIBUTE}]", "").strip()
    email, phone = data.get("email", "").strip(), data.get("phone", "").strip()
    media_url = data.get("media_url", "").strip()
    commune = commune_of(commune_code[:20]) if commune_code else None
    problems = _location_problems(data)
    if not description:
        problems.append(_("description was not provided."))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(_("description is longer than 4,000 characters."))
    if len(subject) > SUBJECT_MAX:
        problems.append(_("attribute[subject] is longer than 200 characters."))
    if not commune_code:
        problems.append(
            _("attribute[commune_code] is required for service %(code)s.") % {"code": service.code}
        )
    elif commune is None:
        problems.append(
            _("attribute[commune_code] %(value)s is not a commune of this jurisdiction.")
            % {"value": commune_code[:20]}
        )
    problems += _contact_problems(email, phone, media_url)
    if problems or commune is None:
        return problems
    return Filing(
        description=description,
        subject=subject or _first_words(description),
        commune=commune,
        lat=data.get("lat", "").strip()[:32],
        long=data.get("long", "").strip()[:32],
        address_string=data.get("address_string", "").strip()[:500],
        address_id=data.get("address_id", "").strip()[:100],
        email=email[:254],
        phone=phone,
        first_name=data.get("first_name", "").strip()[:100],
        last_name=data.get("last_name", "").strip()[:100],
        media_url=media_url[:1000],
    )


def _first_words(text: str) -> str:
    line = text.splitlines()[0].strip()
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1].rstrip() + "…"
