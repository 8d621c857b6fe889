"""Pre-aggregated facts of ended petitions: what history costs the figures, paid once.

A petition that has ended (`ended_on` set: it left the open statuses) no longer changes
the dates the figures read, so its part of every figure can be added up once, per
month, instead of being counted again by every request. Two tables hold those parts:

- `FigureFact`: per month, handling agency and one dimension value (none, a commune, a
  field, a kind or a channel — one dimension per row, so a breakdown or a narrowing by
  one dimension reads a few hundred rows a month), the flows of the month (received,
  handled, handled on time, accepted, resolved, resolved on time, each in the month of
  its own date) and two stocks: the cases pending at the month's first day and those
  overdue at its last day (petitions.selectors.figure_aggregates' definitions, applied
  to those days).
- `ResolutionDays`: per month of resolution and agency, how many resolutions took how
  many days — the median is read from it exactly.

An open case's part changes with the period, but not once the period starts after the
case's last date (received, handled, accepted, resolved, either due date, suspended —
`QUIET_SQL`): from then on it adds nothing to any flow, and to the stocks a constant —
pending at the start when it was accepted and not resolved, overdue at the end when it
is not suspended and has a due date (all of them are before the period). So each open
case has one more fact row, under the dimensions "o…", in the first month of the year of
its last date (its *quiet* year); a period starting in year y reads the open cases quiet
before y from those rows and counts only the others live (the index
petition_open_quiet): a backlog of cases never finished costs a figure fact rows per
year, not rows per case. (Per year rather than per month: a figure reads twelve times
fewer of them, and the cases quiet earlier in the period's own year are few — the
year to date, the default period, counts the same ones live either way.)

They are kept by the database itself, in the transaction of every change: a trigger on
petitions_petition takes the old row's part out and puts the new row's in whenever a
row is written (in a column the parts read), inserted or deleted (whatever writes it: the one door, a bulk
move, the admin, a data migration, a restore). The parts are appended as delta rows
(no row is updated, so concurrent moves never wait on a shared counter) and
`compact()` — beat, every ten minutes — folds them into one row per key. Readers
always SUM, so they never depend on compaction. PostgreSQL only: SQLite (`make run`)
counts every figure live, which at its sizes costs nothing. petitions.figures combines
these facts with a live count of the open cases and of the period's partial months.
"""

# The SQL here is built from constant names only (tables, columns), never from input.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection, models, transaction

# A row's part, by month: one SQL function used by the trigger (on OLD and NEW) and by
# the rebuild (on every ended row), so both add up exactly the same thing.
# An open case's last date: after it, nothing the figures read changes until it moves
# again (and a move writes a new row's part). The index petition_open_quiet has it.
QUIET_COLUMNS = (
    "received_on",
    "handled_on",
    "accepted_on",
    "resolved_on",
    "handling_due_on",
    "resolution_due_on",
    "suspended_on",
)
QUIET_SQL = "GREATEST(" + ", ".join("{r}." + c for c in QUIET_COLUMNS) + ")"
# Open cases' parts are stored under their own dimensions ("o" + the dimension).
OPEN = "o"

CONTRIBUTIONS_SQL = """
CREATE OR REPLACE FUNCTION petitions_figure_contributions(r petitions_petition)
RETURNS TABLE (
    month date, received int, handled int, handled_on_time int, accepted int,
    resolved int, resolved_on_time int, pending_at_start int, overdue_at_end int
) LANGUAGE sql STABLE AS $$
  SELECT c.month, sum(c.received)::int, sum(c.handled)::int, sum(c.handled_on_time)::int,
         sum(c.accepted)::int, sum(c.resolved)::int, sum(c.resolved_on_time)::int,
         sum(c.pending_at_start)::int, sum(c.overdue_at_end)::int
  FROM (
    SELECT date_trunc('month', r.received_on)::date AS month, 1 AS received, 0 AS handled,
           0 AS handled_on_time, 0 AS accepted, 0 AS resolved, 0 AS resolved_on_time,
           0 AS pending_at_start, 0 AS overdue_at_end
    UNION ALL
    SELECT date_trunc('month', r.handled_on)::date, 0, 1,
           CASE WHEN r.handled_on <= r.handling_due_on THEN 1 ELSE 0 END, 0, 0, 0, 0, 0
    WHERE r.handled_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', r.accepted_on)::date, 0, 0, 0, 1, 0, 0, 0, 0
    WHERE r.accepted_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', r.resolved_on)::date, 0, 0, 0, 0, 1,
           CASE WHEN r.resolved_on <= r.resolution_due_on THEN 1 ELSE 0 END, 0, 0
    WHERE r.resolved_on IS NOT NULL
    UNION ALL
    -- pending at a month's first day m: accepted before m, not resolved nor ended before m
    SELECT m::date, 0, 0, 0, 0, 0, 0, 1, 0
    FROM generate_series(
        date_trunc('month', r.accepted_on) + interval '1 month',
        LEAST(r.resolved_on, r.ended_on)::timestamp, interval '1 month') AS m
    WHERE r.accepted_on IS NOT NULL
    UNION ALL
    -- overdue at a month's last day e: open at e, not suspended, past its due date
    SELECT date_trunc('month', e.day)::date, 0, 0, 0, 0, 0, 0, 0, 1
    FROM (
      SELECT (m + interval '1 month' - interval '1 day')::date AS day
      FROM generate_series(
          date_trunc('month', r.received_on), r.ended_on::timestamp, interval '1 month') AS m
    ) AS e
    WHERE e.day >= r.received_on AND e.day < r.ended_on
      AND (r.suspended_on IS NULL OR r.suspended_on > e.day)
      AND ((r.accepted_on <= e.day AND r.resolution_due_on < e.day)
           OR ((r.accepted_on IS NULL OR r.accepted_on > e.day)
               AND r.handling_due_on < e.day))
  ) AS c
  WHERE r.ended_on IS NOT NULL
  GROUP BY c.month
  UNION ALL
  -- an open case: in the first month of the year of its last date, the stocks it adds
  -- to every period that starts in a later year (see QUIET_SQL)
  SELECT date_trunc('year', {quiet})::date, 0, 0, 0, 0, 0, 0,
         (r.accepted_on IS NOT NULL AND r.resolved_on IS NULL)::int,
         (r.suspended_on IS NULL
          AND ((r.accepted_on IS NOT NULL AND r.resolution_due_on IS NOT NULL)
               OR (r.accepted_on IS NULL AND r.handling_due_on IS NOT NULL)))::int
  WHERE r.ended_on IS NULL
$$;
""".replace("{quiet}", QUIET_SQL.format(r="r"))

# The dimension values of a row (alias `r`): one fact row per dimension and month.
_DIMENSIONS = (
    "(SELECT CASE WHEN {r}.ended_on IS NULL THEN 'o' ELSE '' END || v.dimension, v.value"
    " FROM (VALUES ('', ''), ('commune', COALESCE({r}.commune_id::text, '')),"
    " ('field', {r}.field), ('kind', {r}.kind), ('channel', {r}.channel))"
    " AS v(dimension, value)) AS d(dimension, value)"
)
COUNT_COLUMNS = (
    "received",
    "handled",
    "handled_on_time",
    "accepted",
    "resolved",
    "resolved_on_time",
    "pending_at_start",
    "overdue_at_end",
)
_COUNTS = ", ".join(COUNT_COLUMNS)


def _fold(r: str, sign: str) -> str:
    """The INSERTs adding `sign` × the part of row `r` (OLD or NEW) to both tables."""
    signed = ", ".join(f"{sign} * c.{name}" for name in _COUNTS.replace(" ", "").split(","))
    return f"""
    INSERT INTO petitions_figurefact (dimension, month, agency_id, value, {_COUNTS})
    SELECT d.dimension, c.month, {r}.handling_agency_id, d.value, {signed}
    FROM petitions_figure_contributions({r}) AS c CROSS JOIN {_DIMENSIONS.format(r=r)};
    IF {r}.ended_on IS NOT NULL AND {r}.resolved_on IS NOT NULL THEN
      INSERT INTO petitions_resolutiondays (month, agency_id, days, resolutions)
      VALUES (date_trunc('month', {r}.resolved_on)::date, {r}.handling_agency_id,
              {r}.resolved_on - {r}.received_on, {sign});
    END IF;"""


# The columns whose change can change a part (an UPDATE touching none of them, such as
# a note, an assignment or a reminder date on an ended case, adds no delta).
_WATCHED = (
    "ended_on, handling_agency_id, commune_id, field, kind, channel, received_on,"
    " handled_on, handling_due_on, accepted_on, resolved_on, resolution_due_on, suspended_on"
)


def _row(r: str) -> str:
    return "(" + ", ".join(f"{r}.{c.strip()}" for c in _WATCHED.split(",")) + ")"


TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION petitions_figure_fold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF {_row("OLD")} IS NOT DISTINCT FROM {_row("NEW")} THEN RETURN NULL; END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_fold("OLD", "-1")}
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    {_fold("NEW", "1")}
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS petitions_figure_fold ON petitions_petition;
CREATE TRIGGER petitions_figure_fold
AFTER INSERT OR UPDATE OR DELETE ON petitions_petition
FOR EACH ROW EXECUTE FUNCTION petitions_figure_fold();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS petitions_figure_fold ON petitions_petition;
DROP FUNCTION IF EXISTS petitions_figure_fold();
DROP FUNCTION IF EXISTS petitions_figure_contributions(petitions_petition);
"""

# Every part of the rows `where` selects (alias p), added up per key.
_INSERT_FACTS = f"""
INSERT INTO petitions_figurefact (dimension, month, agency_id, value, {_COUNTS})
SELECT d.dimension, c.month, p.handling_agency_id, d.value,
       {", ".join(f"sum(c.{n})" for n in COUNT_COLUMNS)}
FROM petitions_petition AS p
CROSS JOIN LATERAL petitions_figure_contributions(p) AS c
CROSS JOIN LATERAL {_DIMENSIONS.format(r="p")}
WHERE {{where}}
GROUP BY d.dimension, c.month, p.handling_agency_id, d.value;
"""

REBUILD_SQL = f"""
TRUNCATE petitions_figurefact, petitions_resolutiondays;
{_INSERT_FACTS.format(where="TRUE")}INSERT INTO petitions_resolutiondays (month, agency_id, days, resolutions)
SELECT date_trunc('month', p.resolved_on)::date, p.handling_agency_id,
       p.resolved_on - p.received_on, count(*)
FROM petitions_petition AS p
WHERE p.ended_on IS NOT NULL AND p.resolved_on IS NOT NULL
GROUP BY 1, 2, 3;
"""

# The open cases' parts alone (migration 0015 adds them beside the ended cases' facts).
OPEN_FACTS_SQL = f"""
DELETE FROM petitions_figurefact WHERE dimension LIKE '{OPEN}%';
{_INSERT_FACTS.format(where="p.ended_on IS NULL")}"""
# The open cases that are not yet quiet in a period's first month are counted live:
# found by their last date (petitions.figures._open_rows), read from this index alone.
OPEN_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS petition_open_quiet ON petitions_petition"
    f" (({QUIET_SQL.format(r='petitions_petition')}))"
    " INCLUDE (handling_agency_id, received_on, handled_on, handling_due_on, accepted_on,"
    " resolved_on, resolution_due_on, suspended_on, commune_id, field, kind, channel, id,"
    " ended_on) WHERE ended_on IS NULL"
)

# One row per key: the deltas of keys that have more than one row, summed (rows that
# add up to nothing vanish). Concurrent writers only INSERT, so nothing waits.
COMPACT_SQL = f"""
WITH keys AS (
  SELECT dimension, month, agency_id, value FROM petitions_figurefact
  GROUP BY 1, 2, 3, 4 HAVING count(*) > 1
), gone AS (
  DELETE FROM petitions_figurefact AS f USING keys AS k
  WHERE f.dimension = k.dimension AND f.month = k.month AND f.agency_id = k.agency_id
    AND f.value = k.value
  RETURNING f.*
)
INSERT INTO petitions_figurefact (dimension, month, agency_id, value, {_COUNTS})
SELECT dimension, month, agency_id, value,
       {", ".join(f"sum({n})" for n in COUNT_COLUMNS)}
FROM gone GROUP BY 1, 2, 3, 4
HAVING {" OR ".join(f"sum({n}) <> 0" for n in COUNT_COLUMNS)};
WITH keys AS (
  SELECT month, agency_id, days FROM petitions_resolutiondays
  GROUP BY 1, 2, 3 HAVING count(*) > 1
), gone AS (
  DELETE FROM petitions_resolutiondays AS f USING keys AS k
  WHERE f.month = k.month AND f.agency_id = k.agency_id AND f.days = k.days
  RETURNING f.*
)
INSERT INTO petitions_resolutiondays (month, agency_id, days, resolutions)
SELECT month, agency_id, days, sum(resolutions) FROM gone GROUP BY 1, 2, 3
HAVING sum(resolutions) <> 0;
"""
# Two compactions never run at once (a second one waits for the first).
_COMPACT_LOCK = 7_355_001


class FigureFact(models.Model):
    """A month's part of the figures, for an agency and one dimension value (or none)."""

    class Dimension(models.TextChoices):
        NONE = "", "—"
        COMMUNE = "commune", "commune"
        FIELD = "field", "field"
        KIND = "kind", "kind"
        CHANNEL = "channel", "channel"
        # An open case's stocks, in the first month of its last date's year (QUIET_SQL).
        OPEN = "o", "open —"
        OPEN_COMMUNE = "ocommune", "open commune"
        OPEN_FIELD = "ofield", "open field"
        OPEN_KIND = "okind", "open kind"
        OPEN_CHANNEL = "ochannel", "open channel"

    dimension = models.CharField(max_length=10, choices=Dimension.choices, blank=True)
    month = models.DateField()
    # No foreign key: the trigger writes these rows inside the petition's own statement.
    agency_id = models.BigIntegerField()
    # The dimension's value as text: a commune id, a choice's code, '' for none.
    value = models.CharField(max_length=40, blank=True)
    received = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handled_on_time = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    pending_at_start = models.IntegerField(default=0)
    overdue_at_end = models.IntegerField(default=0)

    class Meta:
        app_label = "petitions"
        indexes = [
            # Covering: a figure sums its rows from the index alone (at 3 M petitions a
            # breakdown reads 10,000–40,000 of them; from the heap that costs twice).
            models.Index(
                fields=["dimension", "month", "agency_id", "value"],
                include=list(COUNT_COLUMNS),
                name="figurefact_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension or '-'} {self.month:%m/%Y} {self.agency_id} {self.value}"


class ResolutionDays(models.Model):
    """How many resolutions of a month and agency took `days` days (for the median)."""

    month = models.DateField()
    agency_id = models.BigIntegerField()
    days = models.IntegerField()
    resolutions = models.IntegerField()

    class Meta:
        app_label = "petitions"
        # The median reads (days, resolutions) of a period's months from the index alone.
        indexes = [
            models.Index(
                fields=["month", "agency_id", "days"],
                name="resolutiondays_key",
                include=["resolutions"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.days}: {self.resolutions}"


def available() -> bool:
    """True where the facts are kept (PostgreSQL: the trigger exists)."""
    return connection.vendor == "postgresql"


def rebuild() -> None:
    """Add up every petition again (after a load that bypassed the trigger, such as
    COPY with triggers off). Writes to petitions wait until it is done."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE petitions_petition IN SHARE MODE")
        cursor.execute(REBUILD_SQL)


def compact() -> None:
    """Fold the delta rows into one row per key (readers sum either way)."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMPACT_LOCK])
        cursor.execute(COMPACT_SQL)
