"""Give a partner system a key, renew it or revoke it from the command line (the
admin does the same under "Partner systems")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from open311 import services
from open311.models import Jurisdiction, Partner


class Command(BaseCommand):
    help = "Create an Open311 partner with a key, issue it a new key, or revoke it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The partner system's name.")
        parser.add_argument("--jurisdiction", help="jurisdiction_id, for a new partner.")
        parser.add_argument("--expires", type=date.fromisoformat, help="yyyy-mm-dd")
        parser.add_argument("--contact", default="")
        parser.add_argument("--renew", action="store_true", help="Issue a new key.")
        parser.add_argument("--revoke", action="store_true", help="Revoke its key.")

    def handle(self, *args: Any, **options: Any) -> None:
        partner = Partner.objects.filter(name=options["name"]).first()
        if options["revoke"] or options["renew"]:
            if partner is None:
                raise CommandError(f"No partner named {options['name']!r}.")
            if options["revoke"]:
                services.partner_revoke(partner=partner)
                self.stdout.write(f"Revoked the key of {partner.name}.")
                return
            issued = services.partner_issue_key(partner=partner, expires_on=options["expires"])
        else:
            if partner is not None:
                raise CommandError("This partner exists; use --renew for a new key.")
            jurisdiction = Jurisdiction.objects.filter(
                jurisdiction_id=options["jurisdiction"] or ""
            ).first()
            if jurisdiction is None:
                raise CommandError("Give --jurisdiction with an existing jurisdiction_id.")
            issued = services.partner_create(
                name=options["name"],
                jurisdiction=jurisdiction,
                contact=options["contact"],
                expires_on=options["expires"],
            )
        self.stdout.write(
            f"API key for {issued.partner.name} (shown only now), valid until "
            f"{issued.partner.expires_on:%d/%m/%Y}:\n  {issued.key}"
        )
