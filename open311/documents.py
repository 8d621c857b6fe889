"""The GeoReport v2 documents this app answers with, field by field in the
specification's order (its examples are the tests' reference)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.events import render_said
from petitions.models import Petition, Status

from .catalogue import service_for
from .models import PartnerRequest
from .selectors import georeport_status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the services or their definitions last changed (the discovery's changeset):
# clients refresh what they cache when it moves. Change it with the catalogue.
CHANGESET = "2026-12-01 00:00"


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, as the specification requires (Vietnam time)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def end_of(day: date | None) -> str | None:
    # A legal clock runs to the end of its last day.
    if day is None:
        return None
    return w3_datetime(timezone.make_aware(datetime.combine(day, time(23, 59, 59))))


def discovery(endpoint_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _(
            "Office of the provincial People's Committee, which runs this portal; "
            "write to the address on the portal's home page."
        ),
        "key_service": _(
            "Partner systems ask the Office of the provincial People's Committee for a "
            "key; citizens need none to read."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def _status_notes(case: Petition) -> str:
    label = str(Status(case.status).label)
    said_args = getattr(case, "public_said_args", None)
    if isinstance(said_args, str):  # a JSON subquery is text on some backends
        said_args = json.loads(said_args)
    note = "\n".join(
        part
        for part in (
            render_said(getattr(case, "public_said_msgid", None) or "", said_args),
            getattr(case, "public_note", None) or "",
        )
        if part
    )
    if not note:
        return label
    # A resolution's note already opens with its label ("Resolved: …").
    return note if note.startswith(label) else f"{label} — {note}"


def _number(value: str) -> float | None:
    return float(value) if value else None


def request_document(link: PartnerRequest, case: Petition, *, filer: bool) -> dict[str, Any]:
    """One request: its state is the current case's; what the citizen wrote and
    where goes only to the partner that filed it (`filer`), and the petitioner's
    identity to nobody."""
    service = service_for(link.service_code)
    root = link.petition
    return {
        "service_request_id": root.reference,
        "status": georeport_status(case),
        "status_notes": _status_notes(case),
        "service_name": service.name if service else link.service_code,
        "service_code": link.service_code,
        "description": root.content if filer else None,
        "agency_responsible": case.handling_agency.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(link.created_at),
        "updated_datetime": w3_datetime(max(root.updated_at, case.updated_at)),
        "expected_datetime": end_of(case.clock_due_on),
        "address": (link.address_string or None) if filer else None,
        "address_id": (link.address_id or None) if filer else None,
        "zipcode": None,
        "lat": _number(link.lat) if filer else None,
        "long": _number(link.long) if filer else None,
        "media_url": (link.media_url or None) if filer else None,
    }


def filed_notice(link: PartnerRequest, tracking_code: str, track_url: str) -> str:
    """POST requests' service_notice: who handles it, by when, and the tracking code,
    which this answer alone carries (it is stored only as a keyed hash)."""
    petition = link.petition
    return _(
        "Received by %(agency)s; it will be handled by %(due)s. The petitioner follows it "
        "at %(url)s with reference %(reference)s and tracking code %(code)s."
    ) % {
        "agency": petition.handling_agency.name,
        "due": f"{petition.handling_due_on:%d/%m/%Y}" if petition.handling_due_on else "—",
        "url": track_url,
        "reference": petition.reference,
        "code": tracking_code,
    }
