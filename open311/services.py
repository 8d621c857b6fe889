"""Every write of the Open311 app: partners' keys, and a filing, which is a petition
made by the petitions service plus the row that links it to its partner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import AdministrativeUnit, Agency
from casework.actors import SYSTEM
from petitions.identity import Identity
from petitions.models import Channel
from petitions.services import petition_submit

from .catalogue import Service
from .inputs import Filing
from .keys import PREFIX_LENGTH, key_digest, new_key
from .models import Jurisdiction, Partner, PartnerRequest

# A key lasts a year unless the administrator says otherwise: contracts with partner
# systems are renewed yearly, and a forgotten key should not outlive its contract.
KEY_DAYS = 365


@dataclass(frozen=True)
class IssuedKey:
    partner: Partner
    key: str  # shown once; only its digest is stored


def partner_create(
    *, name: str, jurisdiction: Jurisdiction, contact: str = "", expires_on: date | None = None
) -> IssuedKey:
    """A new partner system with a fresh key."""
    key = new_key()
    partner = Partner.objects.create(
        name=name,
        jurisdiction=jurisdiction,
        contact=contact,
        key_digest=key_digest(key),
        key_prefix=key[:PREFIX_LENGTH],
        expires_on=expires_on or timezone.localdate() + timedelta(days=KEY_DAYS),
    )
    return IssuedKey(partner=partner, key=key)


def partner_issue_key(*, partner: Partner, expires_on: date | None = None) -> IssuedKey:
    """A new key for the partner; the old one stops working at once."""
    key = new_key()
    partner.key_digest = key_digest(key)
    partner.key_prefix = key[:PREFIX_LENGTH]
    partner.expires_on = expires_on or timezone.localdate() + timedelta(days=KEY_DAYS)
    partner.revoked_at = None
    partner.save(update_fields=["key_digest", "key_prefix", "expires_on", "revoked_at"])
    return IssuedKey(partner=partner, key=key)


def partner_revoke(*, partner: Partner) -> None:
    """The partner's key stops working; its filed requests stay."""
    Partner.objects.filter(pk=partner.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def receiving_agency(province: AdministrativeUnit, commune: AdministrativeUnit) -> Agency | None:
    """Who receives a filing: the commune's People's Committee (the level closest to
    the problem, which handles most reflections), else the province's."""
    committees = Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE, is_active=True)
    return (
        committees.filter(unit=commune).order_by("id").first()
        or committees.filter(unit=province).order_by("id").first()
    )


def _content(filing: Filing, partner: Partner) -> str:
    # What the handler needs besides the citizen's words: where it is and who sent it
    # (the case page shows the content; petitions know nothing of partners).
    lines = [filing.description, ""]
    if filing.address_string:
        lines.append(_("Location: %(address)s") % {"address": filing.address_string})
    if filing.lat:
        lines.append(_("Coordinates: %(lat)s, %(long)s") % {"lat": filing.lat, "long": filing.long})
    if filing.media_url:
        lines.append(_("Media: %(url)s") % {"url": filing.media_url})
    lines.append(
        _("Filed through Open311 by the partner system %(name)s.") % {"name": partner.name}
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class Filed:
    request: PartnerRequest
    tracking_code: str


@transaction.atomic
def request_file(*, partner: Partner, service: Service, filing: Filing) -> Filed:
    """— → received: a partner files a recommendation or reflection (petition_submit,
    channel "partner", its handling clock and notices); the link row names the partner."""
    jurisdiction = partner.jurisdiction
    agency = receiving_agency(jurisdiction.province, filing.commune)
    if agency is None:
        raise ValidationError(_("No agency of this jurisdiction receives requests yet."))
    # Vietnamese names are written family name first.
    name = " ".join(part for part in (filing.last_name, filing.first_name) if part)
    submitted = petition_submit(
        actor=SYSTEM,
        kind=service.kind,
        subject=filing.subject,
        content=_content(filing, partner),
        field=service.field,
        handling_agency=agency,
        identity=Identity(name=name, email=filing.email, phone=filing.phone),
        channel=Channel.PARTNER,
        commune=filing.commune,
    )
    link = PartnerRequest.objects.create(
        petition=submitted.petition,
        partner=partner,
        jurisdiction=jurisdiction,
        service_code=service.code,
        lat=filing.lat,
        long=filing.long,
        address_string=filing.address_string,
        address_id=filing.address_id,
        media_url=filing.media_url,
    )
    return Filed(request=link, tracking_code=submitted.tracking_code)
