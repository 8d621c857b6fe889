"""The weekly digest to each lead: what is overdue or due soon in their agencies.

One notice per lead per ISO week (the key), however often beat runs the task.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from notifications.services import notify
from petitions import selectors as petition_selectors


def leads() -> Any:
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role=Role.LEAD, memberships__agency__is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def lead_agency_ids(user: User) -> frozenset[int]:
    return frozenset(
        user.memberships.filter(role=Role.LEAD, agency__is_active=True).values_list(
            "agency_id", flat=True
        )
    )


def send_digest_to(user: User, *, today: date) -> int:
    """Write this week's digest for one lead; 0 when nothing needs attention or sent."""
    year, week, _ = today.isocalendar()
    petitions = petition_selectors.attention_needed(lead_agency_ids(user), today=today)
    if not petitions["overdue"] and not petitions["due_soon"]:
        return 0
    path = reverse("petitions:inbox")
    inbox = settings.SITE_URL + path
    context = {
        "week": week,
        "year": year,
        "overdue": petitions["overdue"],
        "due_soon": petitions["due_soon"],
        "overdue_list": [_line(p) for p in petitions["overdue_list"]],
        "due_soon_list": [_line(p) for p in petitions["due_soon_list"]],
        "overdue_url": f"{inbox}?phase=overdue",
        "due_soon_url": f"{inbox}?phase=due_soon",
    }
    return len(
        notify(
            key=f"digest:{year}-W{week:02d}",
            kind="digest.weekly",
            template="dashboards/weekly_digest",
            context=context,
            user=user,
            url=path,
        )
    )


def _line(petition: Any) -> dict[str, Any]:
    # Reference, subject, agency and due date: never the petitioner.
    return {
        "reference": petition.reference,
        "subject": petition.subject,
        "agency": petition.handling_agency.short_name or petition.handling_agency.name,
        "due_on": petition.clock_due_on,
        "url": settings.SITE_URL + petition.get_absolute_url(),
    }


def send_weekly_digests(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(send_digest_to(user, today=today) for user in leads().iterator())
