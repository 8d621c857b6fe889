"""Petitions and their events as rows, with the dates the real services would have written.

Each petition lives a plausible life (received → handled → accepted → resolved →
closed, or transferred, guided, filed, withdrawn…) and is cut at the bench day, so its
status, dates and running clock are those the services would show that day. Due dates
come from the real calendar and policies (agencies.clocks.start_clock), computed once
per (policy, start date, flags): a million rows need only a few thousand of them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from unidecode import unidecode

from agencies.clocks import start_clock
from agencies.workdays import WorkCalendar, add_days
from petitions.demo import NAMES, SUBJECTS, VILLAGES
from petitions.identity import MASK, Identity, encrypt_identity, tracking_hash
from petitions.models import (
    OUTCOMES_BY_KIND,
    REFERENCE_PREFIX,
    Channel,
    Clock,
    Kind,
    NotAcceptedReason,
    Status,
)
from petitions.services import handling_policy_key, resolution_policy_key

from .directory import BenchDirectory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A national caseload: about half a million petitions a year. The data grows in years of
# history, not in density, so 1,000,000 petitions span two years and 3,000,000 six.
PER_YEAR = 500_000
SPAN_DAYS = 730  # two years of intake up to the bench day (1,000,000 petitions)


def span_days(petitions: int) -> int:
    """Days of intake before the bench day: two years per million, at least two years."""
    return max(SPAN_DAYS, round(365 * petitions / PER_YEAR))


KINDS = [Kind.COMPLAINT, Kind.DENUNCIATION, Kind.RECOMMENDATION, Kind.REFLECTION]
KIND_WEIGHTS = [30, 10, 30, 30]
CHANNELS = [Channel.ONLINE, Channel.IN_PERSON, Channel.POST, Channel.FORWARDED]
CHANNEL_WEIGHTS = [40, 35, 15, 10]
FIELDS = [
    "land",
    "environment",
    "construction",
    "social_policy",
    "health",
    "education",
    "transport",
    "justice",
    "personnel",
    "other",
]
FIELD_WEIGHTS = [30, 12, 12, 10, 6, 6, 8, 4, 4, 8]
# What happens at the handling decision (thụ lý or not), in per cent.
DECISIONS = ["accept", "transfer", "guide", "not_accept", "file", "withdraw"]
DECISION_WEIGHTS = [64, 8, 9, 8, 10, 1]
EXTRA_SENTENCES = [
    "Gia đình tôi đã nhiều lần đến trụ sở UBND xã nhưng chưa được trả lời bằng văn bản.",
    "Đề nghị cơ quan có thẩm quyền xem xét, kiểm tra và trả lời cho người dân được biết.",
    "Sự việc kéo dài từ năm 2023 đến nay, ảnh hưởng trực tiếp đến đời sống của nhiều hộ dân.",
    "Kèm theo đơn là bản sao các giấy tờ liên quan và ảnh chụp hiện trạng.",
    "Người dân trong thôn đã ký tên đồng ý với nội dung kiến nghị này.",
    "Tôi cam đoan nội dung trình bày là đúng sự thật và chịu trách nhiệm trước pháp luật.",
]
NOTES = {
    "submit": "",
    "accept": "Thụ lý giải quyết theo quy định.",
    "transfer": "Chuyển đơn đến cơ quan có thẩm quyền giải quyết.",
    "guide": "Hướng dẫn công dân gửi đơn đến Tòa án nhân dân khu vực.",
    "not_accept": "Không thụ lý: không thuộc thẩm quyền giải quyết.",
    "file": "Lưu đơn: đơn trùng nội dung đã được giải quyết.",
    "suspend": "Tạm đình chỉ chờ kết quả giám định.",
    "resolve": "Đã ban hành quyết định giải quyết.",
    "close": "Quyết định đã có hiệu lực; kết thúc hồ sơ.",
    "appeal": "Công dân khiếu nại lần hai.",
    "withdraw": "Người gửi đơn rút đơn.",
    "terminate": "Đình chỉ giải quyết.",
}
TARGETS = {
    "accept": Status.ACCEPTED,
    "transfer": Status.TRANSFERRED,
    "guide": Status.GUIDED,
    "not_accept": Status.NOT_ACCEPTED,
    "file": Status.FILED,
    "suspend": Status.SUSPENDED,
    "resolve": Status.RESOLVED,
    "close": Status.CLOSED,
    "appeal": Status.APPEALED,
    "withdraw": Status.WITHDRAWN,
    "terminate": Status.TERMINATED,
}


@dataclass(frozen=True)
class Text:
    """A piece of text and its search key (petitions.services._search_text's unidecode)."""

    text: str
    key: str


def _text(value: str) -> Text:
    return Text(value, unidecode(value).lower())


def _join(separator: str, *parts: Text) -> Text:
    return Text(separator.join(p.text for p in parts), separator.join(p.key for p in parts))


class JsonText(str):
    """A JSON document already serialised (COPY writes it as is; the ORM path parses it)."""


@dataclass(frozen=True)
class ClockDates:
    due: date
    soon: date
    late: date
    rule: JsonText


class Clocks:
    """start_clock() and add_days() on the real calendar, memoised per input."""

    def __init__(self, first: date, last: date) -> None:
        # One calendar for the whole span instead of a query per computed date.
        self.calendar = WorkCalendar.load(first - timedelta(days=60), last + timedelta(days=400))
        self._clocks: dict[tuple[str, date, bool, bool], ClockDates] = {}
        self._calendar_days: dict[tuple[date, int], date] = {}

    def start(self, key: str, start: date, complex_case: bool, remote: bool) -> ClockDates:
        memo = (key, start, complex_case, remote)
        found = self._clocks.get(memo)
        if found is None:
            clock = start_clock(
                key, start, complex_case=complex_case, remote=remote, calendar=self.calendar
            )
            rule = clock.as_fields("clock")["clock_rule"]
            found = ClockDates(
                clock.due_on, clock.due_soon_on, clock.long_overdue_on, JsonText(json.dumps(rule))
            )
            self._clocks[memo] = found
        return found

    def calendar_days(self, start: date, days: int) -> date:
        memo = (start, days)
        found = self._calendar_days.get(memo)
        if found is None:
            found = add_days(start, days, working=False, calendar=self.calendar).due
            self._calendar_days[memo] = found
        return found

    @property
    def computed(self) -> int:
        return len(self._clocks) + len(self._calendar_days)


def pending_step_on(clock: ClockDates, swept_through: date) -> date | None:
    """next_reminder_on once the sweep has sent every step due up to `swept_through`
    (the same progression as petitions.reminders.step_for)."""
    if swept_through < clock.soon:
        return clock.soon
    if swept_through < clock.due:
        return clock.due
    if swept_through == clock.due:
        return clock.due + timedelta(days=1)
    if swept_through <= clock.late:
        return clock.late + timedelta(days=1)
    return None


def current_step_on(clock: ClockDates, today: date) -> date | None:
    """The day the step that applies today fell due (a reminder not yet sent)."""
    if today > clock.late:
        return clock.late + timedelta(days=1)
    if today > clock.due:
        return clock.due + timedelta(days=1)
    if today == clock.due:
        return clock.due
    if today >= clock.soon:
        return clock.soon
    return None


@dataclass
class Options:
    petitions: int
    bench_day: date
    seed: int = 2026
    # None: cases live their natural lives; 1.0: every case is still open (the sweep).
    open_fraction: float | None = None
    # Open cases whose current reminder step is still unsent (a backlog for the sweep).
    due_fraction: float = 0.015
    events: bool = True
    first_id: int = 1


@dataclass
class Counters:
    petitions: int = 0
    events: int = 0
    open: int = 0
    due_today: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class Generator:
    """Yields petition rows and event rows (dicts keyed by column name)."""

    def __init__(self, directory: BenchDirectory, options: Options) -> None:
        self.d = directory
        self.o = options
        self.rng = random.Random(options.seed)
        self.span_days = span_days(options.petitions)
        self.first_day = options.bench_day - timedelta(days=self.span_days)
        self.clocks = Clocks(self.first_day, options.bench_day)
        self.counters = Counters()
        self._sequence: dict[tuple[str, int], int] = {}
        self._event_id = 0
        self._prepare_texts()

    # --- text pools, prepared once -----------------------------------------------------

    def _prepare_texts(self) -> None:
        with translation.override("vi"):
            self.mask = str(MASK)
        # A few real Fernet tokens: encrypting per row would cost more than the rest.
        self.identities: list[tuple[str, str, str, bool]] = []
        for i, name in enumerate(NAMES):
            identity = Identity(
                name=name,
                phone=f"09{12345678 + i:08d}",
                email=f"nguoidan{i}@example.vn" if i % 3 else "",
                address=f"{VILLAGES[i % len(VILLAGES)]}, tỉnh Ninh Bình",
                id_number=f"0370{87654321 + i:08d}",
            )
            self.identities.append(
                (name, encrypt_identity(identity), unidecode(name).lower(), bool(identity.email))
            )
        self.hashes = [tracking_hash(f"BENCH{i:05d}") for i in range(64)]
        # Every text is put together from pooled pieces; their search keys (unidecode,
        # slow per character) are computed once per piece, not once per row.
        self.subjects: dict[str, list[tuple[str, Text, Text]]] = {}
        for kind, field_, subject, content in SUBJECTS:
            self.subjects.setdefault(kind, []).append((field_, _text(subject), _text(content)))
        self.extra = [_text(s) for s in EXTRA_SENTENCES]
        self.villages = [_text(v) for v in VILLAGES]
        self.communes = [(c.pk, _text(c.name)) for c in self.d.communes]
        self.commune_of_agency = {
            a.pk: next((c for c in self.communes if c[0] == a.unit_id), None)
            for a in self.d.agencies
        }
        self.agency_ids = [a.pk for a in self.d.agencies]

    def _reference(self, kind: str, year: int) -> str:
        prefix = REFERENCE_PREFIX[Kind(kind)]
        number = self._sequence.get((prefix, year), 0) + 1
        self._sequence[(prefix, year)] = number
        return f"{prefix}-{year}-{number:06d}"

    @property
    def sequences(self) -> dict[tuple[str, int], int]:
        """The last reference number issued per (prefix, year), for PetitionSequence."""
        return dict(self._sequence)

    def _moment(self, day: date) -> datetime:
        # Office hours, so that the day's events keep their order.
        return datetime.combine(day, time(8 + self.rng.randrange(9), self.rng.randrange(60)), VN)

    def _event(
        self,
        events: list[dict[str, Any]],
        petition_id: int,
        agency_id: int,
        action: str,
        day: date,
        from_status: str,
        to_status: str,
        actor: int | None,
        by_citizen: bool = False,
    ) -> datetime:
        self._event_id += 1
        moment = self._moment(day)
        events.append(
            {
                "id": self._event_id,
                "petition_id": petition_id,
                "action": action,
                "actor_id": actor,
                "by_citizen": by_citizen,
                "agency_id": agency_id,
                "from_status": from_status,
                "to_status": to_status,
                "note": NOTES[action],
                "is_public": action != "suspend",
                "created_at": moment,
            }
        )
        return moment

    # --- one petition -----------------------------------------------------------------

    def rows(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(petition row, its event rows) for every petition, ids from `first_id`."""
        for offset in range(self.o.petitions):
            yield self._petition(self.o.first_id + offset)

    def _petition(self, pk: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        received = self.first_day + timedelta(days=rng.randrange(self.span_days + 1))
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        round_ = 2 if kind == Kind.COMPLAINT and rng.random() < 0.05 else 1
        agency_id = rng.choices(self.agency_ids, self.d.weights)[0]
        commune = self.commune_of_agency.get(agency_id)
        if commune is None and rng.random() < 0.9:
            commune = rng.choice(self.communes)
        field_, subject, content = rng.choice(self.subjects[kind])
        if rng.random() < 0.5:  # the demo subjects, spread over every field
            field_ = rng.choices(FIELDS, FIELD_WEIGHTS)[0]
        village = rng.choice(self.villages)
        place = _join(", ", village, commune[1]) if commune else village
        first, second = rng.sample(self.extra, 2)
        number = rng.randrange(1, 999)
        subject_ = _join("", subject, Text(" (", " ("), place, Text(")", ")"))
        body = _join(
            " ", content, first, second, Text(f"Địa chỉ: số {number},", f"dia chi: so {number},")
        )
        body = _join(
            "", body, Text(" ", " "), place, Text(", tỉnh Ninh Bình.", ", tinh ninh binh.")
        )
        name, token, name_key, has_email = rng.choice(self.identities)
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        reference = self._reference(kind, received.year)
        handlers = self.d.handlers.get(agency_id) or [None]
        leads = self.d.leads.get(agency_id) or [None]
        handler, lead = rng.choice(handlers), rng.choice(leads)
        is_complex = rng.random() < 0.1
        remote = rng.random() < 0.05
        words = [reference.lower(), subject_.key, body.key]
        if kind != Kind.DENUNCIATION:
            words.append(name_key)
        if commune is not None:
            words.append(commune[1].key)
        row: dict[str, Any] = {
            "id": pk,
            "reference": reference,
            "tracking_hash": rng.choice(self.hashes),
            "kind": kind,
            "round": round_,
            "channel": channel,
            "field": field_,
            "subject": subject_.text[:200],
            "content": body.text,
            "commune_id": commune[0] if commune else None,
            "handling_agency_id": agency_id,
            "identity": token,
            "display_name": self.mask if kind == Kind.DENUNCIATION else name,
            "has_email": has_email,
            "co_signers_count": rng.randrange(1, 30) if rng.random() < 0.05 else 0,
            "is_complex": False,
            "is_remote_area": remote,
            "received_on": received,
            "search_text": " ".join(words),
        }
        handling = self.clocks.start(handling_policy_key(kind, round_), received, False, False)
        row["handling_due_on"] = handling.due
        row["handling_rule"] = handling.rule
        events: list[dict[str, Any]] = []
        online = channel == Channel.ONLINE
        created = self._event(
            events,
            pk,
            agency_id,
            "submit",
            received,
            "",
            Status.RECEIVED,
            None if online else handler,
            by_citizen=online,
        )
        row["created_at"] = created
        status = self._life(row, events, kind, round_, handling, handler, lead, is_complex)
        row["status"] = status
        row["updated_at"] = events[-1]["created_at"] if len(events) > 1 else created
        if not self.o.events:
            events = []
        self.counters.petitions += 1
        self.counters.events += len(events)
        self.counters.by_status[status] = self.counters.by_status.get(status, 0) + 1
        return row, events

    def _life(
        self,
        row: dict[str, Any],
        events: list[dict[str, Any]],
        kind: str,
        round_: int,
        handling: ClockDates,
        handler: int | None,
        lead: int | None,
        is_complex: bool,
    ) -> str:
        """Play the case's moves up to the bench day; return the status it has then."""
        rng, today = self.rng, self.o.bench_day
        pk, agency_id = row["id"], row["handling_agency_id"]
        received = row["received_on"]
        forced_open = self.o.open_fraction is not None and rng.random() < self.o.open_fraction
        # When the handling decision comes: mostly on time, some late, a few never.
        window = max((handling.due - received).days, 1)
        if rng.random() < 0.85:
            handled = received + timedelta(days=rng.randint(1, window))
        else:
            handled = handling.due + timedelta(days=rng.randint(1, 25))
        stuck = rng.random() < 0.015  # never handled: the real backlog
        decision = rng.choices(DECISIONS, DECISION_WEIGHTS)[0]
        if forced_open:
            decision = "accept" if rng.random() < 0.6 else ""
        if stuck or handled > today or not decision:
            return self._open_received(row, handling)
        status = Status.RECEIVED
        if decision == "withdraw":
            row["ended_on"] = handled
            self._event(events, pk, agency_id, "withdraw", handled, status, Status.WITHDRAWN, None)
            return Status.WITHDRAWN
        row["handled_on"] = handled
        actor = lead if decision in ("accept", "not_accept") else handler
        self._event(events, pk, agency_id, decision, handled, status, TARGETS[decision], actor)
        if decision != "accept":
            row["ended_on"] = handled
            if decision == "not_accept":
                row["not_accepted_reason"] = rng.choice(NotAcceptedReason.values)
            elif decision == "guide":
                row["guided_to"] = "Tòa án nhân dân khu vực"
            return TARGETS[decision]
        # Accepted: the resolution clock runs from the acceptance.
        row["accepted_on"] = handled
        row["is_complex"] = is_complex
        resolution = self.clocks.start(
            resolution_policy_key(kind, round_), handled, is_complex, row["is_remote_area"]
        )
        row["resolution_due_on"] = resolution.due
        row["resolution_rule"] = resolution.rule
        if rng.random() < 0.6:
            row["assigned_to_id"] = handler
        span = max((resolution.due - handled).days, 1)
        if rng.random() < 0.8:
            resolved = handled + timedelta(days=rng.randint(1, span))
        else:
            resolved = resolution.due + timedelta(days=rng.randint(1, 40))
        stuck = rng.random() < 0.015
        if forced_open or stuck or resolved > today:
            return self._open_accepted(row, events, resolution, lead)
        if rng.random() < 0.03:  # withdrawn or terminated before a decision
            move = rng.choice(["withdraw", "terminate"])
            day = handled + timedelta(days=rng.randint(1, max((resolved - handled).days, 1)))
            row["ended_on"] = day
            actor = None if move == "withdraw" else lead
            self._event(events, pk, agency_id, move, day, Status.ACCEPTED, TARGETS[move], actor)
            return TARGETS[move]
        row.update(
            outcome=rng.choice(OUTCOMES_BY_KIND[kind]),
            decision_number=f"{rng.randint(1, 999)}/QĐ-UBND",
            decision_date=resolved,
            result_summary="Đã xem xét, giải quyết và trả lời công dân theo quy định.",
            resolved_on=resolved,
            ended_on=resolved,
            closes_on=self.clocks.calendar_days(resolved, 45 if row["is_remote_area"] else 30),
        )
        self._event(
            events, pk, agency_id, "resolve", resolved, Status.ACCEPTED, Status.RESOLVED, lead
        )
        if kind == Kind.COMPLAINT and round_ == 1 and rng.random() < 0.06:
            appealed = resolved + timedelta(days=rng.randint(1, 29))
            if appealed <= today:
                row["closes_on"] = None
                self._event(
                    events,
                    pk,
                    agency_id,
                    "appeal",
                    appealed,
                    Status.RESOLVED,
                    Status.APPEALED,
                    None,
                )
                return Status.APPEALED
        closed = row["closes_on"] + timedelta(days=1)  # the nightly job, the day after
        if closed <= today:
            self._event(
                events, pk, agency_id, "close", closed, Status.RESOLVED, Status.CLOSED, None
            )
            return Status.CLOSED
        return Status.RESOLVED

    def _running(self, row: dict[str, Any], clock_kind: str, clock: ClockDates) -> None:
        """The running clock's columns and its next reminder date (reminders.remind_one)."""
        today = self.o.bench_day
        row.update(
            clock=clock_kind,
            clock_due_on=clock.due,
            clock_due_soon_on=clock.soon,
            clock_long_overdue_on=clock.late,
            clock_rule=clock.rule,
        )
        # Yesterday's sweeps sent everything due then; a share of cases has today's
        # step pending, as if a few beats had been missed.
        next_on = pending_step_on(clock, today - timedelta(days=1))
        if self.rng.random() < self.o.due_fraction:
            next_on = current_step_on(clock, today) or next_on
        row["next_reminder_on"] = next_on
        self.counters.open += 1
        if next_on is not None and next_on <= today:
            self.counters.due_today += 1

    def _open_received(self, row: dict[str, Any], handling: ClockDates) -> str:
        self._running(row, Clock.HANDLING, handling)
        return Status.RECEIVED

    def _open_accepted(
        self,
        row: dict[str, Any],
        events: list[dict[str, Any]],
        resolution: ClockDates,
        lead: int | None,
    ) -> str:
        today = self.o.bench_day
        accepted = row["accepted_on"]
        if self.rng.random() < 0.05 and accepted < today:
            # Suspended: the dates go, the rule stays for resuming (services.petition_suspend).
            day = accepted + timedelta(days=self.rng.randint(1, (today - accepted).days))
            row.update(suspended_on=day, clock="", clock_rule=resolution.rule)
            self._event(
                events, row["id"], row["handling_agency_id"], "suspend", day,
                Status.ACCEPTED, Status.SUSPENDED, lead,
            )  # fmt: skip
            self.counters.open += 1
            return Status.SUSPENDED
        self._running(row, Clock.RESOLUTION, resolution)
        return Status.ACCEPTED
