"""The list's filters: each a narrowing the inbox page offers too, none a way round
the scope (the queryset they narrow is already the reader's)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from agencies.clocks import Phase, phase_filter
from casework.drf.filters import IdFilter, WordsFilter

from .. import selectors
from ..models import OPEN_STATUSES, Channel, Field, Kind, Petition, Status


class PetitionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: received, accepted or suspended only."
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    round = django_filters.ChoiceFilter(choices=[(1, "1"), (2, "2")])
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    field = django_filters.ChoiceFilter(choices=Field.choices)
    # Ids that cannot overflow the column: a bad one is a 400, never a 500.
    commune = IdFilter(field_name="commune_id")
    handling_agency = IdFilter(field_name="handling_agency_id")
    received_on = django_filters.DateFromToRangeFilter()
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices, method="filter_phase", help_text="Phase of the running clock today."
    )
    assigned_to_me = django_filters.BooleanFilter(
        method="filter_assigned_to_me",
        help_text="true: the cases assigned to you; false: all the others.",
    )
    q = WordsFilter(
        method="filter_q",
        help_text="Words of the reference, subject, content, commune or (not for "
        "denunciations) the petitioner's name, with or without diacritics.",
    )

    class Meta:
        model = Petition
        fields: list[str] = []

    def filter_open(
        self, queryset: QuerySet[Petition], name: str, value: bool
    ) -> QuerySet[Petition]:
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)

    def filter_phase(
        self, queryset: QuerySet[Petition], name: str, value: str
    ) -> QuerySet[Petition]:
        # The inbox's own range test on the stored phase dates (index-friendly).
        return queryset.filter(phase_filter("clock", value, timezone.localdate()))

    def filter_assigned_to_me(
        self, queryset: QuerySet[Petition], name: str, value: bool
    ) -> QuerySet[Petition]:
        user = self.request.user if self.request is not None else None
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)

    def filter_q(self, queryset: QuerySet[Petition], name: str, value: str) -> QuerySet[Petition]:
        return queryset.filter(selectors.search_filter(value))
