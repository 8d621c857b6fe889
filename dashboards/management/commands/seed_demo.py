"""Build the demo province: its directory, then each case app's demo data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.demo import demo_logins, seed_directory
from petitions import demo as petitions_demo
from recommendations import demo as recommendations_demo


class Command(BaseCommand):
    help = "Create the demo province (Ninh Bình) with one user per role. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            directory = seed_directory()
            tracked = petitions_demo.seed(directory)
            recommendations_demo.seed(directory)
        self.stdout.write(
            f"Demo province: {directory.province.name} — {len(directory.agencies)} agencies."
        )
        if tracked:
            self.stdout.write("Demo petitions to follow at /tra-cuu/ (reference / tracking code):")
            for reference, code in tracked:
                self.stdout.write(f"  {reference}  {code}")
        self.stdout.write("Demo logins (username / password):")
        for username, password, what in demo_logins():
            self.stdout.write(f"  {username:<12} {password:<10} {what}")
