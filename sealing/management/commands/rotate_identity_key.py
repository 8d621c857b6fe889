"""`manage.py rotate_identity_key`: re-encrypt every sealed value under the first key of
FIELD_ENCRYPTION_KEY, so that the older keys can then be removed.

    FIELD_ENCRYPTION_KEY=NEW,OLD python manage.py rotate_identity_key
    FIELD_ENCRYPTION_KEY=NEW     python manage.py rotate_identity_key --check

Which columns are sealed is read from the data, not from a list someone must keep up:
every text column of every installed model is asked whether it holds Fernet tokens
(sealing.crypto.encrypt's output; petitions' identities and the outbox's citizen
addresses today, any app's tomorrow). Each value is opened with any configured key
(MultiFernet) and written back under the first one, in batches by primary key, each
row updated only if it still holds the token read (a value changed meanwhile is left
to its writer, who used the new key). A value that already opens with the first key is
left alone, so the command is idempotent and can be stopped and run again. A value no
key opens is counted and reported, and the command then fails: do not remove the old
key until it passes. `--check` changes nothing and fails while any value still needs
an older key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from sealing.crypto import TOKEN_PREFIX, configured_keys, development_key

# A Fernet token of even an empty text is longer than this.
SHORTEST_TOKEN = 100
PROJECT = Path(settings.BASE_DIR).resolve()


def _ours(model: type[models.Model]) -> bool:
    # The project's apps, not Django's or a library's (sessions, tokens, devices),
    # whose text might start like a token by chance.
    app_path = Path(model._meta.app_config.path).resolve() if model._meta.app_config else None
    return app_path is not None and PROJECT in app_path.parents and ".venv" not in app_path.parts


def sealed_columns() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every text column of the project's models holding at
    least one Fernet token."""
    found: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        meta = model._meta
        if not _ours(model):
            continue
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.primary_key:
                continue
            if isinstance(field, models.CharField) and (field.max_length or 0) < SHORTEST_TOKEN:
                continue
            if (
                model._default_manager.filter(**{f"{field.attname}__startswith": TOKEN_PREFIX})
                .order_by()
                .exists()
            ):
                found.append((model, field.attname))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt every sealed value (denouncers' identities, citizens' addresses) under "
        "the first key of FIELD_ENCRYPTION_KEY. Idempotent; run it before removing an old key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail while a value still needs an older key.",
        )
        parser.add_argument(
            "--from-development-key",
            action="store_true",
            help="Also open values sealed by the key derived from SECRET_KEY (a demo or "
            "a deployment started without FIELD_ENCRYPTION_KEY).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = configured_keys()
        if options["from_development_key"]:
            keys.append(development_key())
        primary = keys[0]
        opener = MultiFernet(keys)
        batch = max(1, int(options["batch_size"]))
        check = bool(options["check"])
        totals = {"rotated": 0, "current": 0, "unreadable": 0}
        columns = sealed_columns()
        self.stdout.write(
            f"{len(keys)} key(s); sealed columns: "
            + (", ".join(f"{m._meta.label}.{f}" for m, f in columns) or "none")
        )
        for model, field in columns:
            counts = self._column(model, field, primary, opener, batch, check)
            for name, value in counts.items():
                totals[name] += value
        verb = "need the new key" if check else "re-encrypted"
        self.stdout.write(
            f"Done: {totals['rotated']} {verb}, {totals['current']} already under the first "
            f"key, {totals['unreadable']} opened by no key."
        )
        if totals["unreadable"]:
            raise CommandError(
                f"{totals['unreadable']} sealed value(s) open with none of the keys given: "
                "keep every old key until they are found (a key missing from "
                "FIELD_ENCRYPTION_KEY? --from-development-key?)."
            )
        if check and totals["rotated"]:
            raise CommandError(
                f"{totals['rotated']} value(s) still need an older key: run without --check."
            )

    def _column(
        self,
        model: type[models.Model],
        field: str,
        primary: Fernet,
        opener: MultiFernet,
        batch: int,
        check: bool,
    ) -> dict[str, int]:
        label = f"{model._meta.label}.{field}"
        manager = model._default_manager
        sealed = manager.filter(**{f"{field}__startswith": TOKEN_PREFIX})
        total = sealed.count()
        counts = {"rotated": 0, "current": 0, "unreadable": 0}
        last: Any = None
        seen = 0
        while True:
            rows = sealed.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            chunk = list(rows.values_list("pk", field)[:batch])
            if not chunk:
                break
            with transaction.atomic():
                for pk, token in chunk:
                    counts[self._one(manager, pk, field, token, primary, opener, check)] += 1
            last = chunk[-1][0]
            seen += len(chunk)
            self.stdout.write(f"  {label}: {seen}/{total}")
        return counts

    @staticmethod
    def _one(
        manager: models.Manager[Any],
        pk: Any,
        field: str,
        token: str,
        primary: Fernet,
        opener: MultiFernet,
        check: bool,
    ) -> str:
        raw = token.encode()
        try:
            primary.decrypt(raw)
            return "current"
        except InvalidToken:
            pass
        try:
            fresh = opener.rotate(raw).decode()
        except InvalidToken:
            return "unreadable"
        if not check:
            manager.filter(pk=pk, **{field: token}).update(**{field: fresh})
        return "rotated"
