"""What may be filed: one GeoReport service per field (lĩnh vực) for recommendations
and for reflections, and the attributes each needs.

Complaints and denunciations are not offered: they have legal forms and identity rules
(Law on Complaints art. 8, Law on Denunciations art. 23) that a partner's form cannot
promise to meet; the portal's own form and reception office take them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from agencies.models import AdministrativeUnit, Field
from agencies.names import vietnamese_sort_key
from agencies.selectors import communes_of
from petitions.models import Kind

KINDS = (Kind.RECOMMENDATION, Kind.REFLECTION)
# A service code is "<kind>-<field>", e.g. "reflection-land": no dot, so the format
# suffix of /services/<code>.json is never ambiguous.
SEPARATOR = "-"
COMMUNE_ATTRIBUTE = "commune_code"
SUBJECT_ATTRIBUTE = "subject"


@dataclass(frozen=True)
class Service:
    kind: str
    field: str

    @property
    def code(self) -> str:
        return f"{self.kind}{SEPARATOR}{self.field}"

    @property
    def name(self) -> str:
        return f"{Kind(self.kind).label}: {Field(self.field).label}"


def all_services() -> list[Service]:
    return [Service(kind, field) for kind in KINDS for field in Field.values]


def service_for(code: str) -> Service | None:
    kind, _sep, field = code.partition(SEPARATOR)
    if kind in KINDS and field in Field.values:
        return Service(kind, field)
    return None


def _description(service: Service) -> str:
    field = str(Field(service.field).label).lower()
    if service.kind == Kind.RECOMMENDATION:
        return _(
            "A recommendation (kiến nghị) about %(field)s: propose how the authorities "
            "could do better. Answered within 30 days."
        ) % {"field": field}
    return _(
        "A reflection (phản ánh) about %(field)s: tell the authorities of a problem you "
        "have seen. Answered within 30 days."
    ) % {"field": field}


def service_entry(service: Service) -> dict[str, Any]:
    """One element of GET services, with the fields in the specification's order."""
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": _description(service),
        # Every service needs the commune attribute: clients must read the definition.
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(
            [service.kind, service.field, str(Kind(service.kind).label), service.name]
        ),
        "group": str(Field(service.field).label),
    }


def service_definition(service: Service, province: AdministrativeUnit) -> dict[str, Any]:
    """GET services/<code>: the attributes, the communes of the province as values."""
    communes = sorted(
        communes_of(province.pk).filter(valid_to__isnull=True).values_list("code", "name"),
        key=lambda row: vietnamese_sort_key(row[1]),
    )
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": COMMUNE_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _(
                    "The statistics-office code of the commune, ward or special zone."
                ),
                "order": 1,
                "description": _("Where is it? The commune (xã, phường, đặc khu)."),
                "values": [{"key": code, "name": name} for code, name in communes],
            },
            {
                "variable": True,
                "code": SUBJECT_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": _("At most 200 characters."),
                "order": 2,
                "description": _(
                    "A short title. When left out, the start of the description is used."
                ),
                "values": [],
            },
        ],
    }
