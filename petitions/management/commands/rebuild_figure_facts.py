"""`manage.py rebuild_figure_facts`: add up every ended petition's part of the figures
again (petitions/facts.py) — after a load that bypassed the trigger (COPY with triggers
off, a restore into a database without them). Writes to petitions wait meanwhile."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from petitions import facts


class Command(BaseCommand):
    help = "Rebuild the figures' facts of ended petitions (PostgreSQL)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not facts.available():
            self.stdout.write(_("This database counts every figure live: nothing to rebuild."))
            return
        started = time.perf_counter()
        facts.rebuild()
        self.stdout.write(
            _("Figure facts rebuilt: %(rows)d rows in %(seconds).1f s.")
            % {
                "rows": facts.FigureFact.objects.count(),
                "seconds": time.perf_counter() - started,
            }
        )
