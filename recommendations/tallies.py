"""Running tallies of the voter-recommendation figures, kept by the database.

The council figures (recommendations.selectors.figure_aggregates: total, forwarded,
answered, answered on time, each result category) are counted per session over every
item ever raised — all terms, hundreds of thousands of rows for a country — and per
agency answering over its forwardings. Here they are kept as running counts instead:

- `SessionTally`: per session, its own items ('own', merged ones left out) and those
  carried over onto its agenda ('carried');
- `ForwardingTally`: per agency answering and term, its forwardings.

Triggers on recommendations_recommendation, _carryover and _forwarding take the old
row's part out and put the new row's in, in the transaction of every change (whatever
writes it). Parts are appended as delta rows (concurrent answers never wait on one
counter) and `compact()` (beat, with the petitions' facts) folds them into one row per
key; readers always SUM. PostgreSQL only: elsewhere the figures are counted live
(dashboards.selectors.recommendation_stats). tests/recommendations/test_tallies.py
compares both on random data.
"""

# The SQL here is built from constant names only (tables, columns, choice codes).
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection, models, transaction

from agencies.models import Agency

from .models import CouncilSession, Recommendation, ResultCategory, Term

RESULTS = tuple(ResultCategory.values)
COUNTS = ("total", "forwarded", "answered", "answered_on_time", *RESULTS)
MERGED = Recommendation.Status.MERGED.value
FORWARDED = Recommendation.Status.FORWARDED.value


def _case(condition: str, sign: str) -> str:
    return f"CASE WHEN {condition} THEN {sign} ELSE 0 END"


def _item_part(r: str, sign: str) -> str:
    """A recommendation's counts (selectors.figure_aggregates) as a SELECT list."""
    forwarded = f"{r}.status = '{FORWARDED}'"
    return ", ".join(
        [
            sign,
            _case(forwarded, sign),
            _case(f"{forwarded} AND {r}.answered_on IS NOT NULL", sign),
            _case(f"{forwarded} AND {r}.answered_on_time IS TRUE", sign),
            *(_case(f"{forwarded} AND {r}.result = '{v}'", sign) for v in RESULTS),
        ]
    )


def _forwarding_part(f: str, sign: str) -> str:
    """A forwarding's counts (selectors.forwarding_figure_aggregates) as a SELECT list."""
    return ", ".join(
        [
            sign,
            sign,
            _case(f"{f}.answered_on IS NOT NULL", sign),
            _case(f"{f}.answered_on_time IS TRUE", sign),
            *(_case(f"{f}.result = '{v}'", sign) for v in RESULTS),
        ]
    )


_COLUMNS = ", ".join(COUNTS)


def _items(r: str, sign: str) -> str:
    """The own and carried parts of recommendation `r` (OLD or NEW)."""
    return f"""
    IF {r}.status <> '{MERGED}' THEN
      INSERT INTO recommendations_sessiontally (session_id, kind, {_COLUMNS})
      VALUES ({r}.session_id, 'own', {_item_part(r, sign)});
      INSERT INTO recommendations_sessiontally (session_id, kind, {_COLUMNS})
      SELECT c.session_id, 'carried', {_item_part(r, sign)}
      FROM recommendations_carryover AS c WHERE c.recommendation_id = {r}.id;
    END IF;"""


def _forwardings_of(r: str, sign: str) -> str:
    """The parts of a recommendation's forwardings under the term of `r`'s session."""
    return f"""
      INSERT INTO recommendations_forwardingtally (agency_id, term_id, {_COLUMNS})
      SELECT f.agency_id, s.term_id, {_forwarding_part("f", sign)}
      FROM recommendations_forwarding AS f
      JOIN recommendations_councilsession AS s ON s.id = {r}.session_id
      WHERE f.recommendation_id = {r}.id;"""


def _forwarding(f: str, sign: str) -> str:
    return f"""
    INSERT INTO recommendations_forwardingtally (agency_id, term_id, {_COLUMNS})
    SELECT {f}.agency_id, s.term_id, {_forwarding_part(f, sign)}
    FROM recommendations_recommendation AS r
    JOIN recommendations_councilsession AS s ON s.id = r.session_id
    WHERE r.id = {f}.recommendation_id;"""


def _carried(c: str, sign: str) -> str:
    return f"""
    INSERT INTO recommendations_sessiontally (session_id, kind, {_COLUMNS})
    SELECT {c}.session_id, 'carried', {_item_part("r", sign)}
    FROM recommendations_recommendation AS r
    WHERE r.id = {c}.recommendation_id AND r.status <> '{MERGED}';"""


def _same(columns: str) -> str:
    old = ", ".join(f"OLD.{c.strip()}" for c in columns.split(","))
    new = ", ".join(f"NEW.{c.strip()}" for c in columns.split(","))
    return f"IF TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new}) THEN RETURN NULL; END IF;"


def _trigger(table: str, name: str, body: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {name}();
"""


TRIGGERS_SQL = (
    _trigger(
        "recommendations_recommendation",
        "recommendations_tally_item",
        f"""
  {_same("status, session_id, answered_on, answered_on_time, result")}
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_items("OLD", "-1")} END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_items("NEW", "1")} END IF;
  IF TG_OP = 'UPDATE' AND OLD.session_id IS DISTINCT FROM NEW.session_id THEN
    {_forwardings_of("OLD", "-1")}
    {_forwardings_of("NEW", "1")}
  END IF;""",
    )
    + _trigger(
        "recommendations_carryover",
        "recommendations_tally_carryover",
        f"""
  {_same("session_id, recommendation_id")}
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_carried("OLD", "-1")} END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_carried("NEW", "1")} END IF;""",
    )
    + _trigger(
        "recommendations_forwarding",
        "recommendations_tally_forwarding",
        f"""
  {_same("agency_id, recommendation_id, answered_on, answered_on_time, result")}
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_forwarding("OLD", "-1")} END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_forwarding("NEW", "1")} END IF;""",
    )
)

DROP_SQL = "".join(
    f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    for table, name in (
        ("recommendations_recommendation", "recommendations_tally_item"),
        ("recommendations_carryover", "recommendations_tally_carryover"),
        ("recommendations_forwarding", "recommendations_tally_forwarding"),
    )
)


def _sums(part: str) -> str:
    return ", ".join(f"sum({expression})" for expression in part.split(", "))


REBUILD_SQL = f"""
TRUNCATE recommendations_sessiontally, recommendations_forwardingtally;
INSERT INTO recommendations_sessiontally (session_id, kind, {_COLUMNS})
SELECT r.session_id, 'own', {_sums(_item_part("r", "1"))}
FROM recommendations_recommendation AS r WHERE r.status <> '{MERGED}' GROUP BY r.session_id;
INSERT INTO recommendations_sessiontally (session_id, kind, {_COLUMNS})
SELECT c.session_id, 'carried', {_sums(_item_part("r", "1"))}
FROM recommendations_carryover AS c
JOIN recommendations_recommendation AS r ON r.id = c.recommendation_id
WHERE r.status <> '{MERGED}' GROUP BY c.session_id;
INSERT INTO recommendations_forwardingtally (agency_id, term_id, {_COLUMNS})
SELECT f.agency_id, s.term_id, {_sums(_forwarding_part("f", "1"))}
FROM recommendations_forwarding AS f
JOIN recommendations_recommendation AS r ON r.id = f.recommendation_id
JOIN recommendations_councilsession AS s ON s.id = r.session_id
GROUP BY f.agency_id, s.term_id;
"""


def _compact(table: str, keys: str) -> str:
    key_list = [k.strip() for k in keys.split(",")]
    match = " AND ".join(f"t.{k} = k.{k}" for k in key_list)
    return f"""
WITH k AS (SELECT {keys} FROM {table} GROUP BY {keys} HAVING count(*) > 1),
gone AS (DELETE FROM {table} AS t USING k WHERE {match} RETURNING t.*)
INSERT INTO {table} ({keys}, {_COLUMNS})
SELECT {keys}, {", ".join(f"sum({c})" for c in COUNTS)} FROM gone GROUP BY {keys}
HAVING {" OR ".join(f"sum({c}) <> 0" for c in COUNTS)};
"""


COMPACT_SQL = _compact("recommendations_sessiontally", "session_id, kind") + _compact(
    "recommendations_forwardingtally", "agency_id, term_id"
)
_COMPACT_LOCK = 7_355_002


class _Counts(models.Model):
    total = models.IntegerField(default=0)
    forwarded = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    planned = models.IntegerField(default=0)
    explained = models.IntegerField(default=0)
    not_resolved = models.IntegerField(default=0)

    class Meta:
        abstract = True


class SessionTally(_Counts):
    """A session's own items ('own') or those carried over onto it ('carried')."""

    # No constraint: the triggers write these rows inside the items' own statements.
    session = models.ForeignKey(
        CouncilSession, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=8)

    class Meta:
        app_label = "recommendations"
        indexes = [models.Index(fields=["session", "kind"], name="sessiontally_key")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind}: {self.total}"


class ForwardingTally(_Counts):
    """An agency's forwardings of one term."""

    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    term = models.ForeignKey(
        Term, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        app_label = "recommendations"
        indexes = [models.Index(fields=["agency", "term"], name="forwardingtally_key")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.term_id}: {self.total}"


def available() -> bool:
    """True where the tallies are kept (PostgreSQL: the triggers exist)."""
    return connection.vendor == "postgresql"


def rebuild() -> None:
    """Count everything again (after a load that bypassed the triggers)."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE recommendations_recommendation, recommendations_carryover,"
            " recommendations_forwarding IN SHARE MODE"
        )
        cursor.execute(REBUILD_SQL)


def compact() -> None:
    """Fold the delta rows into one row per key (readers sum either way)."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMPACT_LOCK])
        cursor.execute(COMPACT_SQL)
