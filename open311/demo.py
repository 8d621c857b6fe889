"""The demo province's Open311 jurisdiction and partner, for `make run`: a key is
issued afresh on every run, because a stored key cannot be shown again."""

from __future__ import annotations

from agencies.demo import DEMO_PROVINCE_CODE
from agencies.models import AdministrativeUnit

from . import services
from .models import Jurisdiction, Partner

DEMO_JURISDICTION = "ninhbinh.gov.vn"
DEMO_PARTNER = "Ứng dụng Ninh Bình Số (demo)"


def seed() -> services.IssuedKey | None:
    province = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.PROVINCE, code=DEMO_PROVINCE_CODE
    ).first()
    if province is None:  # units not loaded: nothing to attach a jurisdiction to
        return None
    jurisdiction, _created = Jurisdiction.objects.get_or_create(
        province=province, defaults={"jurisdiction_id": DEMO_JURISDICTION}
    )
    partner = Partner.objects.filter(name=DEMO_PARTNER, jurisdiction=jurisdiction).first()
    if partner is None:
        return services.partner_create(name=DEMO_PARTNER, jurisdiction=jurisdiction)
    return services.partner_issue_key(partner=partner)
