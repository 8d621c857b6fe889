"""`make run`: the demo province's Open311 jurisdiction and partner, with its key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from open311 import demo


class Command(BaseCommand):
    help = "Create the demo Open311 jurisdiction and partner and print a fresh key."

    def handle(self, *args: Any, **options: Any) -> None:
        issued = demo.seed()
        if issued is None:
            self.stdout.write("Open311: load the units first (manage.py load_units).")
            return
        jurisdiction = issued.partner.jurisdiction.jurisdiction_id
        self.stdout.write(
            f"Open311 GeoReport v2 at /open311/v2/discovery.json — jurisdiction_id "
            f"{jurisdiction}, demo partner {issued.partner.name!r}, api_key:\n  {issued.key}"
        )
