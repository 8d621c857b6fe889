"""The public schedule as an iCalendar feed (RFC 5545), written by hand: a handful of
properties per event, CRLF line ends, text escaped and lines folded at 75 octets.

Like the public page, it holds no personal data beyond the receiving leader's name and
title: no booking, no citizen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DayKind, DayStatus, ReceptionDay


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into parts of at most 75 octets (RFC 5545 §3.1), never
    splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


# Times go out in UTC ("Z"): every calendar reads them without a VTIMEZONE block, and
# shows them in the reader's own zone (Vietnam has had no daylight saving since 1975).
def _utc(day: ReceptionDay, moment: time) -> str:
    local = timezone.make_aware(datetime.combine(day.date, moment))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(days: Iterable[ReceptionDay], *, name: str) -> str:
    """The VCALENDAR of `days` (selectors.public_days)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "civic-portal"
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//civic-portal//lich-tiep-cong-dan//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for day in days:
        # A stable UID per day: a subscribed calendar updates the event when the day
        # is delegated or cancelled instead of adding a second one.
        kind = _("Ad-hoc reception") if day.kind == DayKind.AD_HOC else _("Citizen reception")
        summary = f"{kind}: {day.receiver_name} — {day.receiver_title}"
        description = [day.agency.name]
        if day.is_delegated:
            description.append(_("Delegated by %(leader)s.") % {"leader": day.leader.name})
        if day.status == DayStatus.CANCELLED and day.cancel_reason:
            description.append(_("Cancelled: %(reason)s") % {"reason": day.cancel_reason})
        lines += [
            "BEGIN:VEVENT",
            f"UID:reception-day-{day.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{day.updated_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART:{_utc(day, day.starts_at)}",
            f"DTEND:{_utc(day, day.ends_at)}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(day.place)}",
            f"DESCRIPTION:{escape(chr(10).join(description))}",
            "STATUS:" + ("CANCELLED" if day.status == DayStatus.CANCELLED else "CONFIRMED"),
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
