"""The register's API: the visits the caller may read (no visitor's identity, ever) and
the reception figures (/api/v1/stats/reception/), aggregates only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Field
from casework.drf.directory import AgencyRefSerializer
from casework.drf.errors import detail_responses, error_responses, listed_responses
from casework.drf.moves import ApiMove, MoveActions, with_moves
from casework.drf.pagination import Pagination
from casework.drf.serializers import EventSerializerBase
from casework.replicas import reading_from_replica
from casework.transitions import Machine
from petitions.models import Kind

from . import figures, moves, selectors
from .models import MACHINE, AnswerForm, RefusalReason, Visit, VisitEvent

TEXT_MAX = 5000


class VisitTakeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    documents = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class VisitGuideInput(serializers.Serializer):
    guided_to = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class VisitNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX)


class VisitRefuseInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RefusalReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class VisitAnswerInput(serializers.Serializer):
    answer_form = serializers.ChoiceField(choices=AnswerForm.choices)
    answer_text = serializers.CharField(max_length=TEXT_MAX)


class VisitSameMatterInput(serializers.Serializer):
    earlier = serializers.IntegerField(min_value=1, max_value=2**63 - 1)

    def validate_earlier(self, value: int) -> Visit:
        visit: Visit = self.context["case"]
        earlier = selectors.earlier_visits(visit, limit=1000)
        found = next((v for v in earlier if v.pk == value), None)
        if found is None:
            raise serializers.ValidationError(
                _("Choose an earlier visit of the same citizen (same ID number).")
            )
        return found


def _api_move(name: str, input: type[serializers.Serializer], summary: str) -> ApiMove:
    return ApiMove(
        name,
        input,
        summary,
        responses={200: VisitDetailSerializer, **error_responses(400, 403, 404, 409)},
    )


class VisitEventSerializer(EventSerializerBase):
    class Meta:
        model = VisitEvent
        fields = [
            "action",
            "from_status",
            "to_status",
            "said",
            "agency",
            "actor_name",
            "created_at",
        ]


class VisitSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    # The petition the visit opened or follows, by its reference number.
    petition = serializers.CharField(
        source="petition.reference", read_only=True, default=None, allow_null=True
    )
    matter = serializers.CharField(
        source="matter.reference", read_only=True, default=None, allow_null=True
    )
    is_new_matter = serializers.BooleanField(read_only=True)

    class Meta:
        model = Visit
        # No identity, name or contact: the API is for figures and follow-up.
        fields = [
            "id",
            "reference",
            "agency",
            "visited_on",
            "place",
            "receiver_kind",
            "leader_in_person",
            "is_delegation",
            "people_count",
            "representatives_count",
            "classification",
            "field",
            "subject",
            "status",
            "outcome",
            "petition",
            "matter",
            "is_new_matter",
            "answer_due_on",
            "answered_on",
        ]
        read_only_fields = fields


class VisitDetailSerializer(VisitSerializer):
    events = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "content", "events"]
        read_only_fields = fields

    def get_events(self, visit: Visit) -> list[dict[str, Any]]:
        # Internal notes stay on the staff page.
        return VisitEventSerializer(
            [e for e in visit.events.all() if e.is_public], many=True, context=self.context
        ).data  # type: ignore[return-value]


API_MOVES = [
    _api_move("take_petition", VisitTakeInput, "Receive a written petition: opens a petition"),
    _api_move("take_minutes", VisitTakeInput, "Minute a verbal petition: opens a petition"),
    _api_move("guide", VisitGuideInput, "Guide the citizen to the competent body"),
    _api_move("explain", VisitNoteInput, "Explain and close the visit"),
    _api_move("refuse", VisitRefuseInput, "Refuse to receive, with a reason of art. 9"),
    _api_move("answer", VisitAnswerInput, "Record the answer given to the citizen (art. 28)"),
    _api_move("same_matter", VisitSameMatterInput, "Link to an earlier visit on the same matter"),
    _api_move("note", VisitNoteInput, "Add an internal note"),
]


@extend_schema(tags=["reception"])
@extend_schema_view(
    list=extend_schema(
        summary="The reception register: visits in your scope",
        responses=listed_responses(VisitSerializer),
    ),
    retrieve=extend_schema(
        summary="One visit with its public timeline",
        responses=detail_responses(VisitDetailSerializer),
    ),
)
@with_moves(API_MOVES)
class VisitViewSet(
    MoveActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The register's visits; each move a POST, the same service as the pages."""

    serializer_class = VisitSerializer
    pagination_class = Pagination
    lookup_value_converter = "int"

    def get_object(self) -> Visit:
        return selectors.visit_for_staff(self.request.user, int(self.kwargs["pk"]))

    def run_move(self, name: str, case: Visit, data: dict[str, Any]) -> object:
        return moves.run(name, case, self.request.user, data)

    def move_machine(self, name: str, case: Visit) -> tuple[Machine[Any], Any]:
        return MACHINE, case

    def moved(self, name: str, case: Visit, result: object) -> Response:
        visit = selectors.visit_for_staff(self.request.user, case.pk)
        return Response(VisitDetailSerializer(visit, context=self.get_serializer_context()).data)

    def get_queryset(self) -> QuerySet[Visit]:
        return (
            selectors.visible_visits(self.request.user)
            .for_register()
            .order_by("-visited_on", "-id")
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        visit = selectors.visit_for_staff(request.user, int(pk))
        return Response(VisitDetailSerializer(visit, context=self.get_serializer_context()).data)


class ReceptionFigureQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text=_("First day (default: 1 January)."))
    end = serializers.DateField(required=False, help_text=_("Last day (default: today)."))
    agency = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    commune = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    field = serializers.ChoiceField(choices=Field.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today: date = self.context["today"]
        start = attrs.get("start") or today.replace(month=1, day=1)
        end = attrs.get("end") or today
        if start > end:
            raise serializers.ValidationError({"end": _("The end comes before the start.")})
        return {**attrs, "start": start, "end": end}


class ReceptionFigureCounts(serializers.Serializer):
    visits = serializers.IntegerField()
    matters = serializers.IntegerField()
    people = serializers.IntegerField()
    delegations = serializers.IntegerField()
    delegation_people = serializers.IntegerField()
    petitions = serializers.IntegerField()
    petition_rate = serializers.FloatField(allow_null=True)
    leader_in_person = serializers.IntegerField()
    answers_owed = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    answers_missing = serializers.IntegerField()
    answer_rate = serializers.FloatField(allow_null=True)


class ReceptionFigureRow(ReceptionFigureCounts):
    key = serializers.CharField(allow_null=True)
    # The agency's, commune's or field's name, or the month (mm/yyyy).
    name = serializers.CharField(source="label", allow_null=True)


class ReceptionFigures(serializers.Serializer):
    period = serializers.DictField(child=serializers.DateField())
    totals = ReceptionFigureCounts()
    by_agency = ReceptionFigureRow(many=True)
    by_commune = ReceptionFigureRow(many=True)
    by_field = ReceptionFigureRow(many=True)
    by_month = ReceptionFigureRow(many=True)


class ReceptionStatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["stats"],
        summary="Reception figures: visits, matters, delegations, petitions, answers on time",
        parameters=[ReceptionFigureQuery],
        responses={200: ReceptionFigures, **error_responses(400, 403)},
    )
    @reading_from_replica()
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        query = ReceptionFigureQuery(data=request.query_params, context={"today": today})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = figures.FigureFilters(
            start=data["start"],
            end=data["end"],
            agency=data.get("agency"),
            commune=data.get("commune"),
            field=data.get("field", ""),
        )
        qs = figures.scoped(agency_ids=selectors.register_agency_ids(request.user))
        result = figures.figures(qs, filters, today=today)
        result["period"] = {"from": filters.start, "to": filters.end}
        return Response(ReceptionFigures(result).data)
