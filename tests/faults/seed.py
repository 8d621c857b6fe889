"""`python -m tests.faults.seed`: migrate, then the little a fault test's portal needs —
one agency of a province with a handler (who gets the in-app notice of each new
petition). One process for both, as Django's start-up is most of their cost. Prints
{"agency": id} as its last line."""

from __future__ import annotations

import json

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from agencies.models import Agency, Role
    from tests.factories import AgencyFactory, ProvinceFactory, member

    province = ProvinceFactory(code="37", name="Tỉnh Ninh Bình")
    agency = AgencyFactory(
        name="Sở Nông nghiệp và Môi trường",
        short_name="Sở NN&MT",
        kind=Agency.Kind.DEPARTMENT,
        unit=province,
    )
    member(Role.HANDLER, agency, username="xuly", email="xuly@example.gov.vn")
    print(json.dumps({"agency": agency.pk}))


if __name__ == "__main__":
    main()
