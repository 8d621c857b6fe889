"""`manage.py reset_two_factor USERNAME --reason "…"`: for the one case no colleague can
help with (the only administrator lost their phone). Writes the same audit row as the
colleagues' page, with no actor (the server's console)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from twofactor import services


class Command(BaseCommand):
    help = "Remove a user's authenticator and recovery codes; they enrol again at next login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        ended = services.reset(user, actor=None, reason=options["reason"])
        self.stdout.write(
            f"Reset two-factor authentication of {user.username}; {ended} session(s) ended."
        )
