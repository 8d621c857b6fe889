"""Build the demo province: its directory, then each case app's demo data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.demo import demo_logins, seed_directory
from mediation import demo as mediation_demo
from petitions import demo as petitions_demo
from reception import demo as reception_demo
from recommendations import demo as recommendations_demo
from schedules import demo as schedules_demo
from twofactor import demo as twofactor_demo
from verdict import demo as verdict_demo


class Command(BaseCommand):
    help = "Create the demo province (Ninh Bình) with one user per role. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            directory = seed_directory()
            tracked = petitions_demo.seed(directory)
            recommendations_demo.seed(directory)
            mediation_logins = mediation_demo.seed(directory)
            bookings = schedules_demo.seed(directory)
            reception_demo.seed(directory)
            # After both: opinions on their resolved cases and published answers.
            verdict_demo.seed(directory)
        self.stdout.write(
            f"Demo province: {directory.province.name} — {len(directory.agencies)} agencies."
        )
        if tracked:
            self.stdout.write("Demo petitions to follow at /tra-cuu/ (reference / tracking code):")
            for reference, code in tracked:
                self.stdout.write(f"  {reference}  {code}")
        if bookings:
            self.stdout.write("Demo bookings to follow at /dang-ky-tiep/tra-cuu/ (code / secret):")
            for reference, code in bookings:
                self.stdout.write(f"  {reference}  {code}")
        self.stdout.write("Demo logins (username / password):")
        logins = demo_logins() + mediation_logins + schedules_demo.demo_logins()
        for username, password, what in logins:
            self.stdout.write(f"  {username:<12} {password:<10} {what}")
        # Leads, monitors and the administrator type a second code after the password:
        # their demo authenticator has one published key (twofactor.demo).
        guarded = twofactor_demo.seed([username for username, _password, _what in logins])
        if guarded:
            key = twofactor_demo.demo_key_base32()
            self.stdout.write(
                f"Two-factor code for {', '.join(guarded)}: add the key {key} to an "
                "authenticator app, or run:"
            )
            self.stdout.write(f"  oathtool --totp -b {key}")
