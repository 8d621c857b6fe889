"""The schedule's endpoints: reception days and bookings in the reader's scope, a POST
per move (casework.drf.moves), and the figure of leaders' compliance with the legal
minimum. The API is for officials; the public schedule is the page and its feed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Field
from agencies.scope import Action, acting_agency_ids
from casework import timekeeping
from casework.drf.errors import detail_responses, error_responses, listed_responses
from casework.drf.fields import EnumField, IdField
from casework.drf.moves import ApiMove, MoveActions, with_moves
from casework.drf.pagination import Pagination
from casework.pages import int_param
from casework.transitions import Machine

from .. import moves, selectors
from ..identity import unseal
from ..models import (
    BOOKING_MACHINE,
    DAY_MACHINE,
    Booking,
    BookingStatus,
    DayKind,
    DayStatus,
    LeaderKind,
    Mode,
    ReceptionDay,
)

TEXT_MAX = 2000


def _text(*, required: bool = False, max_length: int = TEXT_MAX) -> Any:
    if required:
        return serializers.CharField(max_length=max_length)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default=""
    )


# A clock time of the day, local (Vietnam) time, as "07:30:00": the schema's "time"
# format is RFC 3339's, which asks for an offset these times do not have (found by
# schemathesis, tests/security/test_sweep_findings).
@extend_schema_field(
    {"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "example": "07:30:00"}
)
class ClockTimeField(serializers.TimeField):
    pass


class DaySerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True)
    leader_title = serializers.CharField(source="leader.title", read_only=True)
    leader_kind = EnumField(
        LeaderKind.choices, enum_name="ReceptionLeaderKind", source="leader.kind", read_only=True
    )
    kind = EnumField(DayKind.choices, enum_name="ReceptionDayKind", read_only=True)
    status = EnumField(DayStatus.choices, enum_name="ReceptionDayStatus", read_only=True)
    starts_at = ClockTimeField(
        read_only=True, label=ReceptionDay._meta.get_field("starts_at").verbose_name
    )
    ends_at = ClockTimeField(
        read_only=True, label=ReceptionDay._meta.get_field("ends_at").verbose_name
    )
    taken = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "agency",
            "agency_name",
            "leader",
            "leader_name",
            "leader_title",
            "leader_kind",
            "kind",
            "reason",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "taken",
            "offers_online",
            "status",
            "leader_confirmed_at",
            "delegate_name",
            "delegate_title",
            "held_in_person",
            "cancel_reason",
        ]
        read_only_fields = fields

    def get_taken(self, day: ReceptionDay) -> int:
        return int(getattr(day, "taken", 0))


class DayDetailSerializer(DaySerializer):
    available_actions = serializers.SerializerMethodField()

    class Meta(DaySerializer.Meta):
        fields = [*DaySerializer.Meta.fields, "available_actions"]
        read_only_fields = fields

    def get_available_actions(self, day: ReceptionDay) -> list[str]:
        return [
            name
            for name in moves.day_actions(self.context["request"].user, day)
            if name in moves.DAY_SERVICES
        ]


class BookingSerializer(serializers.ModelSerializer):
    status = EnumField(BookingStatus.choices, enum_name="BookingStatus", read_only=True)
    mode = EnumField(Mode.choices, enum_name="BookingMode", read_only=True)
    field = EnumField(Field.choices, enum_name="BookingField", read_only=True)
    citizen_name = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "reference",
            "day",
            "proposed_day",
            "status",
            "mode",
            "field",
            "matter",
            "citizen_name",
            "id_number",
            "phone",
            "created_at",
            "available_actions",
        ]
        read_only_fields = fields

    # The booking list holds only the agencies whose reception office the reader is in
    # (BookingViewSet.get_queryset), so each reader here may see the identity.
    def get_citizen_name(self, booking: Booking) -> str:
        return unseal(booking.identity).name

    def get_id_number(self, booking: Booking) -> str:
        return unseal(booking.identity).id_number

    def get_phone(self, booking: Booking) -> str:
        return unseal(booking.identity).phone

    def get_available_actions(self, booking: Booking) -> list[str]:
        return moves.booking_actions(self.context["request"].user, booking)


class NoteInput(serializers.Serializer):
    note = _text()


class DelegateInput(NoteInput):
    delegate_name = _text(required=True, max_length=150)
    delegate_title = _text(required=True, max_length=200)


class CancelInput(serializers.Serializer):
    reason = _text(required=True, max_length=300)


class EmptyInput(serializers.Serializer):
    pass


class ProposeInput(NoteInput):
    proposed_day = IdField(queryset=ReceptionDay.objects.filter(status=DayStatus.PUBLISHED))


def _day_move(name: str, input_: type[serializers.Serializer], summary: str) -> ApiMove:
    return ApiMove(
        name,
        input_,
        summary,
        responses={200: DayDetailSerializer, **error_responses(400, 403, 404, 409)},
    )


def _booking_move(name: str, input_: type[serializers.Serializer], summary: str) -> ApiMove:
    return ApiMove(
        name,
        input_,
        summary,
        responses={200: BookingSerializer, **error_responses(400, 403, 404, 409)},
    )


DAY_MOVES = [
    _day_move("publish", EmptyInput, "Publish a planned day (public page and feed)"),
    _day_move("confirm", NoteInput, "The leader confirms their own day"),
    _day_move("delegate", DelegateInput, "Record that the leader delegated the day to a deputy"),
    _day_move("hold", NoteInput, "Record the day as held"),
    _day_move("miss", NoteInput, "Record the day as not held"),
    _day_move("cancel", CancelInput, "Cancel the day (its bookings are cancelled, citizens told)"),
]
BOOKING_MOVES = [
    _booking_move("confirm", NoteInput, "Confirm a booking"),
    _booking_move("propose", ProposeInput, "Propose another published day to the citizen"),
    _booking_move("cancel", CancelInput, "Cancel a booking"),
    _booking_move("attend", NoteInput, "Record that the citizen was received"),
    _booking_move("absent", NoteInput, "Record that the citizen did not come"),
]
_DATES = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day (default: today)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day (default: none)."),
]


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: ["Enter a date as YYYY-MM-DD."]}) from exc
    timekeeping.check_plausible(**{name: value})
    return value


@extend_schema(tags=["reception schedule"])
@extend_schema_view(
    list=extend_schema(
        summary="Reception days in your scope",
        parameters=_DATES,
        responses=listed_responses(DaySerializer),
    ),
    retrieve=extend_schema(
        summary="One reception day with the moves you may make",
        responses=detail_responses(DayDetailSerializer),
    ),
)
@with_moves(DAY_MOVES)
class ReceptionDayViewSet(
    MoveActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = DaySerializer
    pagination_class = Pagination
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[ReceptionDay]:
        qs = (
            selectors.days_in_scope(self.request.user)
            .select_related("agency", "leader")
            .annotate(taken=selectors.TAKEN)
            .order_by("date", "starts_at", "id")
        )
        if self.action != "list":
            return qs
        start = _date_param(self.request, "date_from") or timezone.localdate()
        end = _date_param(self.request, "date_to")
        qs = qs.filter(date__gte=start)
        return qs.filter(date__lte=end) if end else qs

    def get_object(self) -> ReceptionDay:
        return selectors.day_for_staff(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(int(kwargs["pk"]))

    # Whoever may not make the move hears 403 before its input or the day's state is
    # read (400, 409): found by the permission sweep (tests/security/test_sweep_findings).
    def move_machine(self, name: str, case: ReceptionDay) -> tuple[Machine[Any], Any]:
        return DAY_MACHINE, case

    def run_move(self, name: str, case: ReceptionDay, data: dict[str, Any]) -> object:
        return moves.run_day(name, case, self.request.user, data)

    def moved(self, name: str, case: ReceptionDay, result: object) -> Response:
        return self._detail(case.pk)

    def _detail(self, pk: int) -> Response:
        day = selectors.day_for_staff(self.request.user, pk)
        return Response(DayDetailSerializer(day, context=self.get_serializer_context()).data)


@extend_schema(tags=["reception schedule"])
@extend_schema_view(
    list=extend_schema(
        summary="Bookings of the days whose reception office you are in",
        responses=listed_responses(BookingSerializer),
    ),
    retrieve=extend_schema(summary="One booking", responses=detail_responses(BookingSerializer)),
)
@with_moves(BOOKING_MOVES)
class BookingViewSet(
    MoveActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = BookingSerializer
    pagination_class = Pagination
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Booking]:
        # Personal data: the reception offices' own bookings only.
        agencies = acting_agency_ids(self.request.user, Action.RECEPTION)
        return (
            Booking.objects.filter(day__agency_id__in=agencies)
            .select_related("day__agency", "day__leader")
            .order_by("-created_at", "-id")
        )

    def get_object(self) -> Booking:
        booking = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if booking is None:
            raise Http404
        return booking

    def move_machine(self, name: str, case: Booking) -> tuple[Machine[Any], Any]:
        return BOOKING_MACHINE, case

    def run_move(self, name: str, case: Booking, data: dict[str, Any]) -> object:
        return moves.run_booking(name, case, self.request.user, data)

    def moved(self, name: str, case: Booking, result: object) -> Response:
        return Response(
            BookingSerializer(self.get_object(), context=self.get_serializer_context()).data
        )


class ComplianceRowSerializer(serializers.Serializer):
    leader_id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField()
    kind = EnumField(LeaderKind.choices, enum_name="ReceptionLeaderKind")
    month = serializers.DateField()
    days_required = serializers.IntegerField(source="required", allow_null=True)
    held = serializers.IntegerField()
    delegated = serializers.IntegerField()
    ad_hoc = serializers.IntegerField()
    not_held = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    met = serializers.BooleanField(allow_null=True)
    in_progress = serializers.BooleanField()
    legal_basis = serializers.CharField()


@extend_schema(tags=["reception schedule"])
class ComplianceViewSet(viewsets.ViewSet):
    """Each leader's reception days held against the legal minimum, per month."""

    @extend_schema(
        summary="Leaders' reception days against the legal minimum, per month",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year."),
            OpenApiParameter("agency", OpenApiTypes.INT, description="One agency's leaders."),
        ],
        responses={200: ComplianceRowSerializer(many=True), **error_responses(400, 403)},
    )
    def list(self, request: Request) -> Response:
        today = timekeeping.today()
        raw_year = request.query_params.get("year", "")
        year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() else today.year
        if raw_year and not 2014 <= year <= today.year + 1:
            raise ValidationError({"year": ["Enter a year from 2014 to next year."]})
        agency = int_param(request.query_params.get("agency"))
        start = date(year, 1, 1)
        end = max(start, min(date(year, 12, 31), today))
        rows = selectors.compliance(request.user, start=start, end=end, agency_id=agency)
        return Response(
            ComplianceRowSerializer(
                [{**row.__dict__, "met": row.met} for row in rows], many=True
            ).data
        )
