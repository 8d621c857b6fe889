"""What petitions tell people, through the notifications outbox (inside the change's transaction).

The outbox knows no petitions: this module picks the recipients, the template and a
unique key per notice, so a retried call never sends twice. A denouncer's identity is
never put in a notice to an official.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from notifications.services import NoticeRequest, notify, notify_many

from .models import Kind, Outcome, Petition, Status
from .selectors import handlers_of, petitioner_email

# Every public move of a petition: its citizen hears of each one.
CITIZEN_EVENTS = frozenset(
    {
        "accepted",
        "transferred",
        "suspended",
        "resumed",
        "extended",
        "resolved",
        "closed",
        "appealed",
        "guided",
        "not_accepted",
        "filed",
        "withdrawn",
        "terminated",
    }
)


def _context(petition: Petition) -> dict[str, object]:
    return {
        "reference": petition.reference,
        "subject": petition.subject,
        # Labels, not texts: the bell renders them in its reader's language.
        "kind": Kind(petition.kind).label,
        "status": Status(petition.status).label,
        "agency": petition.handling_agency.name,
        "due_on": petition.clock_due_on,
        "outcome": Outcome(petition.outcome).label if petition.outcome else "",
        "result_summary": petition.result_summary,
        "guided_to": petition.guided_to,
        "track_url": settings.SITE_URL + reverse("petitions:track"),
    }


def petition_received(petition: Petition, *, language: str = "vi") -> None:
    """Tell the citizen (e-mail) and the agency's officials (in-app) of a new petition:
    every notice in one notify_many (a few queries, however many officials), as the
    citizens' surge of submissions needs (`make bench`, target 3)."""
    context = _context(petition)
    requests = []
    if petition.has_email:
        requests.append(
            NoticeRequest(
                key=f"petition:{petition.pk}:received:citizen",
                kind="petition.received",
                template="petitions/citizen_received",
                context=context,
                email=petitioner_email(petition),
                channels=("email",),
                language=language,
            )
        )
    url = petition.get_absolute_url()  # site-relative; e-mails add SITE_URL
    requests += [
        NoticeRequest(
            key=f"petition:{petition.pk}:received:user:{official.pk}",
            kind="petition.new",
            template="petitions/staff_new",
            context=context,
            user=official,
            channels=("in_app",),
            url=url,
        )
        for official in handlers_of(petition.handling_agency_id)
    ]
    notify_many(requests)


def petition_changed(petition_id: int, event: str, extra: dict[str, object] | None = None) -> None:
    """Tell a citizen who left an e-mail that their case moved (accepted, resolved…);
    `extra` is what the move knows besides the row (a suspension's decision, the days
    a resumed clock was paused, the agency of a second round)."""
    if event not in CITIZEN_EVENTS:
        return
    petition = Petition.objects.select_related("handling_agency").get(pk=petition_id)
    if not petition.has_email:
        return
    context = {**_context(petition), "event": event}
    if event == "transferred":
        receiver = petition.transfers.select_related("handling_agency").order_by("-id").first()
        context["to_agency"] = receiver.handling_agency.name if receiver else ""
    context.update(extra or {})
    # One notice per event and due date: a second extension is a new notice (a
    # suspension, which has no due date, is told once per day it starts).
    moment = petition.suspended_on if event == "suspended" else petition.clock_due_on
    stamp = moment.isoformat() if moment else "-"
    notify(
        key=f"petition:{petition.pk}:{event}:{stamp}:citizen",
        kind=f"petition.{event}",
        template="petitions/citizen_changed",
        context=context,
        email=petitioner_email(petition),
        channels=("email",),
    )
