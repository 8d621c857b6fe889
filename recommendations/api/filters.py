"""The API's list filters. Those on the recommendation are written once (ItemFilter)
and reached from each list's rows; ids cannot overflow a column (IdFilter), and search
works with or without diacritics (casework.search)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.clocks import Phase, phase_filter
from casework.drf.filters import IdFilter, WordsFilter
from casework.search import name_search, search_filter

from ..models import (
    Answer,
    CarryOver,
    CouncilSession,
    Field,
    Forwarding,
    Recommendation,
    RecommendationSource,
    ResultCategory,
    VoterMeeting,
)

PENDING = [("pending", _("No result yet"))]

# No FilterSet here has a Meta: every filter is declared, and each filters the rows its
# viewset's selector gives (django-filter builds no filter of its own without a model).


class TermFilter(django_filters.FilterSet):
    council = IdFilter(field_name="council_id")


class CouncilSessionFilter(django_filters.FilterSet):
    term = IdFilter(field_name="term_id")
    council = IdFilter(field_name="council_id")
    kind = django_filters.ChoiceFilter(choices=CouncilSession.Kind.choices)
    status = django_filters.ChoiceFilter(choices=CouncilSession.Status.choices)
    opens_on = django_filters.DateFromToRangeFilter()


class VoterMeetingFilter(django_filters.FilterSet):
    session = IdFilter(field_name="session_id")
    term = IdFilter(field_name="session__term_id")
    commune = IdFilter(field_name="commune_id")
    timing = django_filters.ChoiceFilter(choices=VoterMeeting.Timing.choices)
    held_on = django_filters.DateFromToRangeFilter()


class ItemFilter(django_filters.FilterSet):
    """Filters on the recommendation, shared by the lists of items, forwardings and
    answers; `item` is the path from the listed row to its recommendation."""

    item = ""

    session = IdFilter(
        method="filter_session",
        help_text="On the session's agenda: raised for it, or carried over onto it.",
    )
    term = IdFilter(method="filter_term", help_text="Raised at a session of this term.")
    field = django_filters.ChoiceFilter(choices=Field.choices, method="filter_field")
    commune = IdFilter(method="filter_commune", help_text="The commune concerned.")
    locality = WordsFilter(
        method="filter_locality",
        help_text="Words of the locality (village, hamlet, street), with or without diacritics.",
    )
    carried_over = django_filters.BooleanFilter(
        method="filter_carried_over",
        help_text="true: carried over from an earlier session (onto `session`, if "
        "given); false: not carried over.",
    )
    q = WordsFilter(
        method="filter_q",
        help_text="Words of the content, locality or commune, with or without diacritics.",
    )

    def _q(self, lookup: str, value: Any) -> Q:
        return Q(**{f"{self.item}{lookup}": value})

    def filter_session(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        # A subquery, not a join: a join on the carry-overs would repeat rows.
        carried = CarryOver.objects.filter(session_id=value).values("recommendation_id")
        return queryset.filter(self._q("session_id", value) | self._q("pk__in", carried))

    def filter_term(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(self._q("session__term_id", value))

    def filter_field(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(self._q("field", value))

    def filter_commune(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(self._q("commune_id", value))

    def filter_locality(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name_search(value, f"{self.item}locality"))

    def filter_carried_over(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        session = self.form.cleaned_data.get("session")
        carries = CarryOver.objects.all()
        if session:
            carries = carries.filter(session_id=session)
        carried = self._q("pk__in", carries.values("recommendation_id"))
        return queryset.filter(carried) if value else queryset.exclude(carried)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(search_filter(value, prefix=self.item))


class RecommendationFilter(ItemFilter):
    status = django_filters.MultipleChoiceFilter(
        choices=Recommendation.Status.choices,
        help_text="Items merged into another are left out unless asked for.",
    )
    result = django_filters.ChoiceFilter(
        choices=[*PENDING, *ResultCategory.choices],
        method="filter_result",
        help_text="The combined accepted result; `pending`: forwarded, no result yet.",
    )
    agency = IdFilter(method="filter_agency", help_text="Forwarded to this agency.")
    meeting = IdFilter(
        method="filter_meeting", help_text="Raised at this voter meeting (one of its sources)."
    )
    first_raised_on = django_filters.DateFromToRangeFilter()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # As on the session page: merged duplicates live on in the item they joined.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Recommendation.Status.MERGED)
        return super().filter_queryset(queryset)

    def filter_result(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "pending":
            return queryset.filter(status=Recommendation.Status.FORWARDED, result="")
        return queryset.filter(result=value)

    # A subquery, not a join: an item forwarded to several agencies would repeat.
    def filter_agency(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        forwarded = Forwarding.objects.filter(agency_id=value).values("recommendation_id")
        return queryset.filter(pk__in=forwarded)

    def filter_meeting(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        raised = RecommendationSource.objects.filter(meeting_id=value)
        return queryset.filter(pk__in=raised.values("recommendation_id"))


class ForwardingFilter(ItemFilter):
    item = "recommendation__"

    status = django_filters.MultipleChoiceFilter(choices=Forwarding.Status.choices)
    agency = IdFilter(field_name="agency_id")
    result = django_filters.ChoiceFilter(
        choices=[*PENDING, *ResultCategory.choices],
        method="filter_result",
        help_text="The accepted result; `pending`: none accepted yet.",
    )
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices,
        method="filter_phase",
        help_text="Phase of the answer clock today (awaited answers only).",
    )
    answered_on_time = django_filters.BooleanFilter()
    dispatch_number = django_filters.CharFilter(max_length=60)
    dispatched_on = django_filters.DateFromToRangeFilter()
    answer_due_on = django_filters.DateFromToRangeFilter()

    def filter_result(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(result="" if value == "pending" else value)

    # Phases are range filters on the stored clock dates (agencies.clocks.phase_filter),
    # so they use the indexes fwd_due_soon / fwd_long_overdue.
    def filter_phase(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        return queryset.filter(
            phase_filter("answer", value, today), status=Forwarding.Status.FORWARDED
        )


class AnswerFilter(ItemFilter):
    item = "forwarding__recommendation__"

    forwarding = IdFilter(field_name="forwarding_id")
    agency = IdFilter(field_name="forwarding__agency_id")
    category = django_filters.ChoiceFilter(choices=ResultCategory.choices)
    assessment = django_filters.ChoiceFilter(choices=Answer.Assessment.choices)
    on_time = django_filters.BooleanFilter()
    answered_on = django_filters.DateFromToRangeFilter()
