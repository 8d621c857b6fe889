"""The stats query (validated the same way for pages, exports and the API) and the
documented shapes of the stats API's answers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers

from petitions.models import Channel, Field, Kind
from verdict.api.serializers import VerdictFiguresSerializer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .selectors import MAX_MONTHS, MEASURES, Filters, default_period, months

# Filters accept dd/mm/yyyy (what people type) and yyyy-mm-dd (what programs send).
DATE_FORMATS = ["%d/%m/%Y", ISO_8601]
# No case predates the portal's data by this much; the bound keeps a typo such as
# 01/01/0202 from asking for a trend of 22 000 months.
EARLIEST = date(2000, 1, 1)
BIGGEST_ID = 2**63 - 1

_date_errors: dict[str, StrOrPromise] = {"invalid": _("Enter a date as dd/mm/yyyy or yyyy-mm-dd.")}
_id_errors: dict[str, StrOrPromise] = {
    "invalid": _("Enter a whole number."),
    "max_string_length": _("Enter a whole number."),
    "min_value": _("Enter a whole number."),
    "max_value": _("Enter a whole number."),
}
_choice_errors: dict[str, StrOrPromise] = {
    "invalid_choice": _("“{input}” is not one of the allowed values.")
}


def _id(help_text: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGGEST_ID,
        help_text=help_text,
        error_messages=_id_errors,
    )


def _choice(choices: Any, help_text: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        allow_blank=True,
        help_text=help_text,
        error_messages=_choice_errors,
    )


class StatsQuerySerializer(serializers.Serializer):
    """The period and scope of a stats request. Needs `user` in its context."""

    agency = _id(_("Only this agency (one you may see)."))
    province = _id(_("Only the agencies of this province (monitors of several provinces)."))
    commune = _id(_("Only petitions concerning this commune."))
    field = _choice(Field.choices, _("Only this field."))
    kind = _choice(Kind.choices, _("Only this kind of petition."))
    channel = _choice(Channel.choices, _("Only petitions received through this channel."))

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword: these two are declared here, not as attributes.
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False,
            input_formats=DATE_FORMATS,
            help_text=_("First day of the period (dd/mm/yyyy or yyyy-mm-dd); default 1 January."),
            error_messages=_date_errors,
        )
        fields["to"] = serializers.DateField(
            required=False,
            input_formats=DATE_FORMATS,
            help_text=_("Last day of the period (dd/mm/yyyy or yyyy-mm-dd); default today."),
            error_messages=_date_errors,
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = self.context.get("today") or timezone.localdate()
        start, end = default_period(today)
        start = attrs.get("from") or (
            start if not attrs.get("to") else date(attrs["to"].year, 1, 1)
        )
        # The figures describe what has happened: a period ending later ends today
        # ("overdue at the end of the period" cannot be known in advance).
        end = min(attrs.get("to") or today, today)
        errors: dict[str, Any] = {}
        if start < EARLIEST:
            errors["from"] = _("The period cannot start before %(date)s.") % {
                "date": date_format(EARLIEST, "d/m/Y")
            }
        elif start > end:
            errors["from"] = _("The start of the period must not be after its end.")
        elif len(months(start, end)) > MAX_MONTHS:
            errors["from"] = _("The period cannot be longer than %(years)s years.") % {
                "years": MAX_MONTHS // 12
            }
        agency = attrs.get("agency")
        if agency is not None:
            from agencies.scope import visible_agency_ids

            if agency not in visible_agency_ids(self.context["user"]):
                errors["agency"] = _("This agency is not among those you may see.")
        if errors:
            raise serializers.ValidationError(errors)
        return {**attrs, "from": start, "to": end}

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(
            start=data["from"],
            end=data["to"],
            agency=data.get("agency"),
            province=data.get("province"),
            commune=data.get("commune"),
            field=data.get("field", ""),
            kind=data.get("kind", ""),
            channel=data.get("channel", ""),
        )


class CasesQuerySerializer(StatsQuerySerializer):
    """The drill-down: a stats query and the figure whose cases to list."""

    measure = serializers.ChoiceField(choices=list(MEASURES.items()), error_messages=_choice_errors)


class RecommendationQuerySerializer(serializers.Serializer):
    term = _id(_("Only this term of office."))


# --- answers -------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateField(help_text=_("First day of the period.")),
            "to": serializers.DateField(
                help_text=_("Last day of the period (never later than today).")
            ),
        }


def _count(help_text: Any) -> serializers.IntegerField:
    return serializers.IntegerField(help_text=help_text)


def _percent(help_text: Any) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


class FiguresSerializer(serializers.Serializer):
    """The petition figures of DOMAIN.md, "The figures"."""

    received = _count(_("Petitions received in the period."))
    handled = _count(_("Handling decisions made in the period."))
    handled_on_time = _count(_("Handling decisions made by the handling due date."))
    handled_on_time_rate = _percent(_("handled_on_time ÷ handled, per cent."))
    pending_at_start = _count(_("Accepted cases still pending at the start of the period."))
    accepted = _count(_("Cases accepted in the period."))
    in_competence = _count(_("pending_at_start + accepted."))
    resolved = _count(_("Cases resolved in the period."))
    resolution_rate = _percent(_("resolved ÷ in_competence, per cent."))
    resolved_on_time = _count(_("Cases resolved by the resolution due date."))
    on_time_rate = _percent(_("resolved_on_time ÷ resolved, per cent."))
    overdue = _count(_("Open cases past their due date at the end of the period."))
    # Beside the resolution rate: the citizens' verdict on the same resolutions.
    verdict = VerdictFiguresSerializer()


class SummarySerializer(FiguresSerializer):
    period = PeriodSerializer()
    median_days_to_resolve = serializers.FloatField(
        allow_null=True, help_text=_("Median of (resolved on − received on) in days.")
    )


class BreakdownRowSerializer(FiguresSerializer):
    key = serializers.CharField(
        allow_null=True,
        help_text=_("The agency or commune id, or the field, kind or channel value."),
    )
    # A declared field named like Field.label, which the DRF stubs read as the attribute.
    label = serializers.CharField()  # type: ignore[assignment]
    ranked = serializers.BooleanField(
        help_text=_("Whether in_competence reaches the minimum to be ranked.")
    )
    rank = serializers.IntegerField(
        allow_null=True, help_text=_("Place by resolution rate among the ranked rows.")
    )


class BreakdownSerializer(serializers.Serializer):
    period = PeriodSerializer()
    dimension = serializers.CharField()
    min_ranked = serializers.IntegerField(
        help_text=_("Cases in competence a row needs to be ranked.")
    )
    results = BreakdownRowSerializer(many=True)


class TrendRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("First day of the month."))
    received = _count(_("Received in the month."))
    accepted = _count(_("Accepted in the month."))
    resolved = _count(_("Resolved in the month."))
    resolved_on_time = _count(_("Resolved in the month by the resolution due date."))
    on_time_rate = _percent(_("resolved_on_time ÷ resolved, per cent."))


class TrendSerializer(serializers.Serializer):
    period = PeriodSerializer()
    results = TrendRowSerializer(many=True)


class RecommendationFiguresSerializer(serializers.Serializer):
    total = _count(_("Items, merged duplicates excepted."))
    forwarded = _count(_("Items forwarded to agencies."))
    answered = _count(_("Forwarded items answered."))
    answered_on_time = _count(_("Forwarded items answered by the due date."))
    awaiting_answer = _count(_("Forwarded items not answered yet."))
    resolved = _count(_("Result: resolved."))
    in_progress = _count(_("Result: in progress."))
    planned = _count(_("Result: planned with a deadline."))
    explained = _count(_("Result: explained, information provided."))
    not_resolved = _count(_("Result: not resolved."))
    carried_over = _count(_("Items carried over onto a session from earlier ones."))
    resolution_rate = _percent(_("resolved ÷ forwarded, per cent."))
    answer_rate = _percent(_("answered ÷ forwarded, per cent."))
    on_time_rate = _percent(_("answered_on_time ÷ answered, per cent."))


class CategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    # A declared field named like Field.label, which the DRF stubs read as the attribute.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class RecommendationTermSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    council = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    figures = RecommendationFiguresSerializer()


class RecommendationSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    opens_on = serializers.DateField()
    published = serializers.BooleanField()
    term = serializers.IntegerField()
    council = serializers.CharField()
    figures = RecommendationFiguresSerializer()


class RecommendationAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = RecommendationFiguresSerializer(
        help_text=_("The agency's forwardings: its answers and the results accepted.")
    )


class RecommendationStatsSerializer(serializers.Serializer):
    term = serializers.IntegerField(allow_null=True)
    total = RecommendationFiguresSerializer()
    by_category = CategorySerializer(many=True)
    terms = RecommendationTermSerializer(many=True)
    sessions = RecommendationSessionSerializer(many=True)
    agencies = RecommendationAgencySerializer(many=True)
