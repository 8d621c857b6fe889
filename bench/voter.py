"""Voter recommendations at scale: councils, terms, sessions, voter meetings, the items
voters raised, their forwardings, answers, carry-overs and events, written with COPY.

The provincial People's Council and those of the communes with a People's Committee in
the bench directory hold two years of sessions; each recommendation goes as far as its
session's age allows (collected → consolidated → forwarded → answered → accepted), with
the answer clock of the real calendar (`voter.answer`, memoised like the petitions').
Skipped with a message when the recommendations app has no migrated schema matching its
models (it is built in parallel).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from django.db import connection, transaction
from unidecode import unidecode

from .dataset import VN, Clocks
from .directory import BenchDirectory

MARKER = "recommendations"
# (field, what voters said) — the matters voter meetings raise most.
MATTERS = [
    ("land", "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã sử dụng ổn định"),
    ("land", "Đề nghị công khai phương án bồi thường, hỗ trợ khi thu hồi đất làm đường"),
    (
        "environment",
        "Đề nghị xử lý dứt điểm tình trạng ô nhiễm từ các cơ sở chăn nuôi gần khu dân cư",
    ),
    ("environment", "Đề nghị bố trí thêm điểm tập kết và tăng tần suất thu gom rác thải sinh hoạt"),
    ("transport", "Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp, nhiều ổ gà gây mất an toàn"),
    ("transport", "Đề nghị lắp đặt đèn chiếu sáng và biển báo tại nút giao gần trường học"),
    ("health", "Đề nghị bổ sung bác sĩ và thuốc thiết yếu cho trạm y tế xã"),
    ("education", "Đề nghị đầu tư xây dựng thêm phòng học cho trường mầm non"),
    ("social_policy", "Đề nghị xem xét chế độ cho người có công và thân nhân liệt sĩ còn tồn đọng"),
    ("social_policy", "Đề nghị nâng mức hỗ trợ cho hộ nghèo, hộ cận nghèo bị ảnh hưởng thiên tai"),
    ("construction", "Đề nghị đẩy nhanh tiến độ dự án nâng cấp hệ thống thủy lợi nội đồng"),
    ("justice", "Đề nghị tăng cường tuyên truyền, hòa giải ở cơ sở về tranh chấp đất đai"),
    ("personnel", "Đề nghị bố trí đủ cán bộ tại bộ phận một cửa để giải quyết thủ tục kịp thời"),
    ("other", "Đề nghị hỗ trợ kinh phí xây dựng nhà văn hóa thôn"),
]
LOCALITIES = ["thôn Đông", "thôn Bắc", "xóm 3", "thôn Trung", "tổ dân phố 5", "thôn Nam"]
CATEGORIES = ["resolved", "in_progress", "planned", "explained", "not_resolved"]
CATEGORY_WEIGHTS = [40, 20, 15, 20, 5]
# The least advanced category wins when several agencies answer (models.CATEGORY_RANK).
RANK = {"not_resolved": 0, "planned": 1, "in_progress": 2, "explained": 3, "resolved": 4}
CARRIED = frozenset({"in_progress", "planned", "not_resolved"})
# Regular sessions mid-year and at year end, a thematic one in spring (month, day, kind).
SESSION_DATES = [(4, 15, "thematic"), (7, 8, "regular"), (12, 9, "regular")]
TERMS = [(2021, 2026, date(2021, 5, 23)), (2026, 2031, date(2026, 3, 15))]


def _models() -> dict[str, Any]:
    from recommendations import models as m

    return {
        name: getattr(m, name)
        for name in (
            "Term",
            "CouncilSession",
            "VoterMeeting",
            "Recommendation",
            "RecommendationSource",
            "CarryOver",
            "Forwarding",
            "Answer",
            "RecommendationEvent",
        )
    }


def unavailable_reason() -> str:
    """Why the recommendations schema cannot be filled (empty when it can)."""
    try:
        models = _models()
    except (ImportError, AttributeError) as exc:
        return f"the recommendations app does not define its models yet ({exc})"
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in models.values():
            table = model._meta.db_table
            if table not in tables:
                return f"{table} is not migrated"
            columns = {
                c.name for c in connection.introspection.get_table_description(cursor, table)
            }
            missing = {f.column for f in model._meta.concrete_fields} - columns
            if missing:
                return f"{table} lacks {sorted(missing)}: models changed without a migration"
    return ""


@dataclass
class Plan:
    """The councils and their sessions, created through the ORM (a few hundred rows)."""

    sessions: list[Any] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    next_session: dict[int, Any] = field(default_factory=dict)
    meetings: dict[int, list[tuple[int, date, int]]] = field(default_factory=dict)
    answering: dict[int, list[int]] = field(default_factory=dict)  # council -> agencies
    council_staff: int | None = None


def _councils(directory: BenchDirectory) -> list[tuple[Any, list[int], float]]:
    """(council, agencies it forwards to, weight): the province's and the communes'."""
    from agencies.models import Agency

    province = directory.province
    answering = [
        a.pk
        for a in directory.agencies
        if a.kind not in (Agency.Kind.PEOPLES_COUNCIL, Agency.Kind.COUNCIL_STANDING)
        and a.unit_id == province.pk
    ]
    provincial = Agency.objects.get(
        unit=province, kind=Agency.Kind.PEOPLES_COUNCIL, name__startswith="Hội đồng nhân dân tỉnh"
    )
    result = [(provincial, answering, 10.0)]
    for agency in directory.agencies:
        if agency.kind != Agency.Kind.PEOPLES_COMMITTEE or agency.unit_id == province.pk:
            continue
        name = agency.name.replace("Ủy ban nhân dân", "Hội đồng nhân dân")
        council, _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": name.replace("Hội đồng nhân dân", "HĐND"),
                "kind": Agency.Kind.PEOPLES_COUNCIL,
                "unit_id": agency.unit_id,
                "parent": None,
            },
        )
        result.append((council, [agency.pk], 1.0))
    return result


@transaction.atomic  # one commit for a few thousand rows, not one each
def _plan(directory: BenchDirectory, bench_day: date, rng: random.Random) -> Plan:
    from django.contrib.auth import get_user_model

    m = _models()
    plan = Plan()
    first = bench_day - timedelta(days=730)
    plan.council_staff = (
        get_user_model().objects.filter(username="hdnd").values_list("pk", flat=True).first()
    )
    communes = [c.pk for c in directory.communes]
    for council, answering, weight in _councils(directory):
        plan.answering[council.pk] = answering
        own = [] if council.unit_id == directory.province.pk else [council.unit_id]
        previous = None
        for index, (start_year, end_year, elected_on) in enumerate(TERMS):
            # A term's sessions run until the next term is elected.
            ends = TERMS[index + 1][2] if index + 1 < len(TERMS) else date(end_year, 12, 31)
            term, _ = m["Term"].objects.get_or_create(
                council=council,
                start_year=start_year,
                defaults={"end_year": end_year, "elected_on": elected_on},
            )
            number = 0
            for year in range(start_year, end_year + 1):
                for month, day, kind in SESSION_DATES:
                    opens = date(year, month, day)
                    if not elected_on < opens < ends:
                        continue
                    number += 1
                    if not first <= opens <= bench_day - timedelta(days=14):
                        continue
                    closes = opens + timedelta(days=2 if kind == "thematic" else 4)
                    status = "published" if opens < bench_day - timedelta(days=90) else "preparing"
                    session, _ = m["CouncilSession"].objects.get_or_create(
                        term=term,
                        number=number,
                        defaults={
                            "council": council,
                            "kind": kind,
                            "opens_on": opens,
                            "closes_on": closes,
                            "status": status,
                        },
                    )
                    plan.sessions.append(session)
                    plan.weights.append(weight)
                    if previous is not None:
                        plan.next_session[previous.pk] = session
                    previous = session
                    plan.meetings[session.pk] = _meetings(
                        m, session, own or communes, rng, plan.council_staff
                    )
    return plan


def _meetings(
    m: dict[str, Any], session: Any, communes: list[int], rng: random.Random, staff: int | None
) -> list[tuple[int, date, int]]:
    """Voter meetings before and after the session: (id, held on, commune)."""
    existing = list(
        m["VoterMeeting"].objects.filter(session=session).values_list("pk", "held_on", "commune_id")
    )
    if existing:
        return existing
    rows = []
    for index in range(8):
        before = index < 5
        held = (
            session.opens_on - timedelta(days=rng.randint(7, 30))
            if before
            else session.closes_on + timedelta(days=rng.randint(5, 25))
        )
        commune = rng.choice(communes)
        meeting = m["VoterMeeting"].objects.create(
            session=session,
            timing="before" if before else "after",
            held_on=held,
            place=f"Nhà văn hóa {rng.choice(LOCALITIES)}",
            commune_id=commune,
            deputies="Các đại biểu HĐND đơn vị bầu cử số " + str(index + 1),
            voters_count=rng.randint(60, 300),
            created_by_id=staff,
        )
        rows.append((meeting.pk, held, commune))
    return rows


class VoterGenerator:
    """Rows of every recommendation table, yielded per recommendation."""

    def __init__(self, plan: Plan, bench_day: date, seed: int) -> None:
        self.plan = plan
        self.today = bench_day
        self.rng = random.Random(seed + 1)
        self.clocks = Clocks(bench_day - timedelta(days=800), bench_day)
        self.ids = {name: 0 for name in ("rec", "source", "fwd", "answer", "event", "carry")}
        self.matters = [(f, text, unidecode(text).lower()) for f, text in MATTERS]
        self.last_forwarded: dict[int, int] = {}

    def _id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, clock_time(8 + self.rng.randrange(9)), VN)

    def rows(self, count: int) -> Iterator[dict[str, list[dict[str, Any]]]]:
        for _ in range(count):
            session = self.rng.choices(self.plan.sessions, self.plan.weights)[0]
            yield self._recommendation(session)

    def _event(
        self,
        out: dict[str, list[dict[str, Any]]],
        session: Any,
        day: date,
        action: str,
        **extra: Any,
    ) -> None:
        out["event"].append(
            {
                "id": self._id("event"),
                "session_id": session.pk,
                "action": action,
                "actor_id": self.plan.council_staff,
                "agency_id": session.council_id,
                "created_at": self._at(day),
                **extra,
            }
        )

    def _recommendation(self, session: Any) -> dict[str, list[dict[str, Any]]]:
        rng, today = self.rng, self.today
        out: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("rec", "source", "fwd", "answer", "event", "carry")
        }
        pk = self._id("rec")
        meeting, raised_on, commune = rng.choice(self.plan.meetings[session.pk])
        field_, text, key = rng.choice(self.matters)
        locality = rng.choice(LOCALITIES)
        content = f"{text} tại {locality} (ý kiến số {pk})."
        voters = rng.randint(1, 40)
        age = (today - session.closes_on).days
        if age < 30:
            status = rng.choice(["collected", "consolidated"])
        else:
            status = "merged" if rng.random() < 0.05 else "forwarded"
        rec: dict[str, Any] = {
            "id": pk,
            "session_id": session.pk,
            "content": content,
            "field": field_,
            "commune_id": commune,
            "locality": locality,
            "voters_count": voters,
            "status": status,
            "first_raised_on": raised_on,
            "times_raised": 1,
            "search_text": f"{key} tai {unidecode(locality).lower()} (y kien so {pk}).",
            "created_by_id": self.plan.council_staff,
            "created_at": self._at(raised_on),
            "updated_at": self._at(min(today, session.closes_on + timedelta(days=age))),
        }
        out["rec"].append(rec)
        out["source"].append(
            {
                "id": self._id("source"),
                "recommendation_id": pk,
                "collected_as_id": pk,
                "meeting_id": meeting,
                "content": content,
                "voters_count": voters,
                "created_at": rec["created_at"],
            }
        )
        self._event(out, session, raised_on, "collect", recommendation_id=pk, to_status="collected")
        keeper = self.last_forwarded.get(session.pk)
        if status == "merged" and keeper is not None:
            # A duplicate of an item of the same session: its source moves to the keeper
            # and remembers what it was collected as (services.recommendation_consolidate).
            rec["merged_into_id"] = keeper
            out["source"][0]["recommendation_id"] = keeper
            return out
        if status == "merged":
            status = "forwarded"
        if status != "forwarded":
            return out
        dispatched = session.closes_on + timedelta(days=rng.randint(5, 20))
        rec["status"] = "forwarded"
        self.last_forwarded[session.pk] = pk
        agencies = self.plan.answering[session.council_id]
        chosen = rng.sample(agencies, min(len(agencies), 2 if rng.random() < 0.2 else 1))
        outcomes = [self._forwarding(out, session, pk, agency, dispatched) for agency in chosen]
        answered = all(o[0] for o in outcomes)
        resulted = all(o[2] for o in outcomes)
        rec.update(
            forwarded_on=dispatched,
            answered_on=max(o[0] for o in outcomes) if answered else None,
            answered_on_time=all(o[1] for o in outcomes) if answered else None,
            result=min((o[2] for o in outcomes), key=RANK.__getitem__) if resulted else "",
            result_on=max(o[3] for o in outcomes) if resulted else None,
        )
        self._event(
            out,
            session,
            dispatched,
            "forward",
            recommendation_id=pk,
            from_status="consolidated",
            to_status="forwarded",
        )
        later = self.plan.next_session.get(session.pk)
        if rec["result"] in CARRIED and later is not None:
            out["carry"].append(
                {
                    "id": self._id("carry"),
                    "recommendation_id": pk,
                    "session_id": later.pk,
                    "carried_on": later.opens_on - timedelta(days=10),
                    "created_by_id": self.plan.council_staff,
                }
            )
        return out

    def _forwarding(
        self, out: dict[str, list[dict[str, Any]]], session: Any, rec: int, agency: int, day: date
    ) -> tuple[date | None, bool, str, date | None]:
        """One forwarding as far as it got: (answered on, on time, result, result on)."""
        rng, today = self.rng, self.today
        clock = self.clocks.start("voter.answer", day, False, False)
        pk = self._id("fwd")
        row: dict[str, Any] = {
            "id": pk,
            "recommendation_id": rec,
            "agency_id": agency,
            "dispatch_number": f"{rng.randint(1, 999)}/HĐND-VP",
            "dispatched_on": day,
            "status": "forwarded",
            "rounds": 1,
            "answer_due_on": clock.due,
            "answer_due_soon_on": clock.soon,
            "answer_long_overdue_on": clock.late,
            "answer_rule": clock.rule,
            "created_by_id": self.plan.council_staff,
            "created_at": self._at(day),
            "updated_at": self._at(day),
        }
        out["fwd"].append(row)
        late = rng.random() < 0.15
        answered = (
            clock.due + timedelta(days=rng.randint(1, 40))
            if late
            else day + timedelta(days=rng.randint(5, max((clock.due - day).days, 5)))
        )
        if answered > today or rng.random() < 0.05:
            return None, False, "", None
        on_time = answered <= clock.due
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        answer = self._id("answer")
        accepted = answered + timedelta(days=rng.randint(5, 40))
        is_accepted = accepted <= today
        out["answer"].append(
            {
                "id": answer,
                "forwarding_id": pk,
                "round": 1,
                "text": "Cơ quan đã xem xét và trả lời kiến nghị của cử tri.",
                "category": category,
                "reason": "" if category == "resolved" else "Cần thêm thời gian và kinh phí.",
                "planned_by": answered + timedelta(days=180) if category == "planned" else None,
                "document_number": f"{rng.randint(1, 999)}/BC-UBND",
                "answered_on": answered,
                "due_on": clock.due,
                "on_time": on_time,
                "assessment": "accepted" if is_accepted else "pending",
                "assessed_by_id": self.plan.council_staff if is_accepted else None,
                "assessed_at": self._at(accepted) if is_accepted else None,
                "created_at": self._at(answered),
            }
        )
        row.update(
            status="accepted" if is_accepted else "answered",
            answered_on=answered,
            answered_on_time=on_time,
            current_answer_id=answer,
            updated_at=self._at(accepted if is_accepted else answered),
        )
        self._event(
            out,
            session,
            answered,
            "answer",
            recommendation_id=rec,
            forwarding_id=pk,
            agency_id=agency,
            from_status="forwarded",
            to_status="answered",
        )
        if not is_accepted:
            return answered, on_time, "", None
        row.update(accepted_answer_id=answer, result=category, result_on=accepted)
        self._event(
            out,
            session,
            accepted,
            "accept",
            recommendation_id=rec,
            forwarding_id=pk,
            from_status="answered",
            to_status="accepted",
        )
        return answered, on_time, category, accepted


def _clear(models: dict[str, Any]) -> None:
    tables = ", ".join(models[n]._meta.db_table for n in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def ensure(directory: BenchDirectory, count: int, bench_day: date, *, seed: int) -> bool:
    """Generate `count` voter recommendations unless the same set is already there;
    True when rows were written."""
    from .generate import read_marker, write_marker
    from .load import Table, bulk_load, check_references, copy_rows, reset_identity

    reason = unavailable_reason()
    if reason:
        print(f"  voter recommendations SKIPPED: {reason}")
        return False
    params = {"count": count, "seed": seed, "bench_day": bench_day.isoformat()}
    marker = read_marker(MARKER)
    if marker is not None and marker["params"] == params:
        print(f"  voter recommendations: reusing {count:,} ({marker['seconds']:.0f} s)")
        return False
    started = time.perf_counter()
    models = _models()
    _clear(models)
    rng = random.Random(seed + 2)
    plan = _plan(directory, bench_day, rng)
    generator = VoterGenerator(plan, bench_day, seed)
    tables = {
        "rec": Table(models["Recommendation"]),
        "source": Table(models["RecommendationSource"]),
        "fwd": Table(models["Forwarding"]),
        "answer": Table(models["Answer"]),
        "event": Table(models["RecommendationEvent"]),
        "carry": Table(models["CarryOver"]),
    }
    written = dict.fromkeys(tables, 0)
    with bulk_load(list(tables.values())):
        remaining = count
        source = generator.rows(count)
        while remaining > 0:
            take = min(20_000, remaining)
            batch: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
            for _, rows in zip(range(take), source, strict=False):
                for name, part in rows.items():
                    batch[name].extend(part)
            for name, table in tables.items():
                written[name] += copy_rows(table, batch[name])
            remaining -= take
    for table in tables.values():
        reset_identity(table)
    problems = [p for t in tables.values() for p in check_references(t)]
    if problems:
        raise SystemExit("dangling references: " + "; ".join(problems))
    with connection.cursor() as cursor:
        for table in tables.values():
            cursor.execute(f'VACUUM (ANALYZE) "{table.name}"')
    seconds = time.perf_counter() - started
    print(
        f"  {len(plan.sessions)} sessions of {len(plan.answering)} councils; "
        + ", ".join(f"{n:,} {name}" for name, n in written.items())
    )
    write_marker(MARKER, params, bench_day, seconds, written)
    return True
