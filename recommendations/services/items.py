"""What voters raised: collected at a meeting, then consolidated — duplicates merged
into the item raised first, which is carried onto a later agenda when raised again."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import AdministrativeUnit
from casework import timekeeping
from casework.actors import Actor
from casework.events import said
from casework.search import search_key

from ..models import (
    RECOMMENDATION_MACHINE,
    SESSION_MACHINE,
    CarryOver,
    Field,
    Recommendation,
    RecommendationSource,
    VoterMeeting,
)
from .recording import Event, account, check_commune, created

# --- collecting and consolidating -------------------------------------------------------


def _search_text(content: str, locality: str, commune: AdministrativeUnit | None) -> str:
    # The start of the text is enough to find it, and keeps the column small.
    words = [content[:4000], locality]
    if commune is not None:
        words.append(commune.name)
    return search_key(" ".join(words))


@transaction.atomic
def recommendation_collect(
    *,
    actor: Actor,
    meeting: VoterMeeting,
    content: str,
    field: str,
    voters_count: int,
    commune: AdministrativeUnit | None = None,
    locality: str = "",
) -> Recommendation:
    """— → collected: what voters raised at a meeting; writes a `collect` event."""
    session = meeting.session
    SESSION_MACHINE.check(session, "collect", actor)
    content = content.strip()
    if not content:
        raise ValidationError({"content": _("Write what the voters raised.")})
    if field not in Field.values:
        raise ValidationError({"field": _("Choose a field.")})
    if voters_count < 1:
        raise ValidationError({"voters_count": _("At least one voter raised it.")})
    if voters_count > meeting.voters_count:
        raise ValidationError(
            {"voters_count": _("The meeting had only %(n)s voters.") % {"n": meeting.voters_count}}
        )
    check_commune(commune, session.council, "commune")
    recommendation = Recommendation.objects.create(
        session=session,
        content=content,
        field=field,
        commune=commune,
        locality=locality.strip(),
        voters_count=voters_count,
        status=Recommendation.Status.COLLECTED,
        first_raised_on=meeting.held_on,
        search_text=_search_text(content, locality, commune),
        created_by=account(actor),
    )
    RecommendationSource.objects.create(
        recommendation=recommendation,
        collected_as=recommendation,
        meeting=meeting,
        content=content,
        voters_count=voters_count,
    )
    created(
        RECOMMENDATION_MACHINE,
        recommendation,
        action=Event.COLLECT,
        actor=actor,
        said=said(gettext_noop("%(date)s — %(place)s"), date=meeting.held_on, place=meeting.place),
    )
    return recommendation


def _check_duplicates(keeper: Recommendation, duplicates: list[Recommendation]) -> None:
    if any(d.pk == keeper.pk for d in duplicates):
        raise ValidationError(_("The item kept cannot also be merged into itself."))
    if not duplicates and keeper.status != Recommendation.Status.COLLECTED:
        raise ValidationError(_("Choose at least one duplicate to merge."))
    for duplicate in duplicates:
        if duplicate.session.council_id != keeper.session.council_id:
            raise ValidationError(_("Only recommendations to the same council can be merged."))
        if duplicate.session.opens_on < keeper.session.opens_on:
            raise ValidationError(
                _("Keep the item raised first (#%(pk)s is from an earlier session).")
                % {"pk": duplicate.pk}
            )


@transaction.atomic
def recommendation_consolidate(
    *,
    actor: Actor,
    keeper: Recommendation,
    duplicates: Sequence[Recommendation] = (),
    content: str = "",
) -> Recommendation:
    """collected → consolidated (tổng hợp), merging duplicates into `keeper`.

    Each duplicate moves to `merged` (one `merge` event each) and hands its sources to
    the keeper, which sums the voters, counts the sessions at which the matter was
    raised, and is carried onto a later session's agenda when raised there again
    (one `consolidate` event). A forwarded keeper stays forwarded.
    """
    RECOMMENDATION_MACHINE.check(keeper, "consolidate", actor)
    duplicates = list(duplicates)
    _check_duplicates(keeper, duplicates)
    # Serialise merges into the same item, so each sees the sources the other moved.
    list(Recommendation.objects.select_for_update().filter(pk=keeper.pk).values_list("pk"))

    for duplicate in duplicates:
        RECOMMENDATION_MACHINE.apply(
            duplicate,
            move="merge",
            actor=actor,
            public=False,
            said=said(gettext_noop("Merged into #%(pk)s."), pk=keeper.pk),
            changes={"merged_into": keeper},
        )
        RecommendationSource.objects.filter(recommendation=duplicate).update(recommendation=keeper)
    later_sessions = {d.session_id for d in duplicates if d.session_id != keeper.session_id} - set(
        CarryOver.objects.filter(recommendation=keeper).values_list("session_id", flat=True)
    )
    for session_id in sorted(later_sessions):
        CarryOver.objects.create(
            recommendation=keeper,
            session_id=session_id,
            carried_on=timekeeping.today(),
            created_by=account(actor),
        )

    totals = RecommendationSource.objects.filter(recommendation=keeper).aggregate(
        voters=Sum("voters_count"),
        sessions=Count("meeting__session", distinct=True),
        first=Min("meeting__held_on"),
    )
    text = content.strip() or keeper.content
    changes = {
        "content": text,
        "voters_count": totals["voters"] or keeper.voters_count,
        "times_raised": totals["sessions"] or 1,
        "first_raised_on": totals["first"] or keeper.first_raised_on,
        "search_text": _search_text(text, keeper.locality, keeper.commune),
    }
    note = ""
    if duplicates:
        note = _("Merged %(items)s: %(voters)s voters in all.") % {
            "items": ", ".join(f"#{d.pk}" for d in duplicates),
            "voters": changes["voters_count"],
        }
    # Guarded on `updated_at` too: consolidating a forwarded keeper keeps its status,
    # so the status alone would not see that someone else changed it meanwhile.
    RECOMMENDATION_MACHINE.apply(
        keeper,
        move="consolidate",
        actor=actor,
        public=False,
        note=note,
        changes=changes,
        checked=True,
    )
    return keeper
