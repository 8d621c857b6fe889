"""The petitions endpoint: the officials' inbox, one case, recording one, and a POST
per move (casework.drf.moves adds them from `inputs.MOVE_SPECS`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casework.drf.errors import detail_responses, error_responses, listed_responses
from casework.drf.fields import absolute_url
from casework.drf.moves import MoveActions, with_moves
from casework.drf.pagination import Pagination, StableOrderingFilter
from casework.transitions import Machine

from .. import moves, selectors, services
from ..identity import Identity
from ..models import MACHINE, Petition
from .filters import PetitionFilter
from .inputs import API_MOVES, MOVE_SPECS, RecordInput
from .serializers import (
    PetitionDetailSerializer,
    PetitionRecordedSerializer,
    PetitionSummarySerializer,
)

# What a list row never shows (PetitionSummarySerializer; PetitionRefSerializer for the
# two linked cases): the texts, the identity and the JSON rules — about 6 KB a row for
# the database to send and for the driver to decode, three times over with the links.
_UNLISTED = (
    "content",
    "identity",
    "tracking_hash",
    "search_text",
    "clock_rule",
    "handling_rule",
    "resolution_rule",
)
LIST_DEFERRED = (
    *_UNLISTED,
    *(f"{link}__{name}" for link in ("previous", "transferred_from") for name in _UNLISTED),
    *(f"{link}__result_summary" for link in ("previous", "transferred_from")),
)


@extend_schema(tags=["petitions"])
@extend_schema_view(
    list=extend_schema(
        summary="Petitions in your scope",
        description="The cases of the agencies you may see — your own agencies, or the "
        "whole province for monitors. Newest first unless `ordering` says otherwise.",
        responses=listed_responses(PetitionSummarySerializer),
    ),
    retrieve=extend_schema(
        summary="One petition with its timeline, attachments and available actions",
        responses=detail_responses(PetitionDetailSerializer),
    ),
    create=extend_schema(
        summary="Record a petition received in person, by post or forwarded",
        description="Needs the handler or lead role in `handling_agency`. The response "
        "carries the citizen's tracking code, shown this once.",
        responses={201: PetitionRecordedSerializer, **error_responses(400, 403)},
    ),
)
@with_moves(MOVE_SPECS)
class PetitionViewSet(MoveActions, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PetitionSummarySerializer
    filterset_class = PetitionFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    ordering_fields = ["clock_due_on", "received_on", "reference"]
    ordering = ["-received_on", "-id"]
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Petition]:
        # Joined so that a page of any size costs one query (the links name their agency).
        qs = (
            selectors.visible_petitions(self.request.user)
            .for_inbox()
            .select_related("previous__handling_agency", "transferred_from__handling_agency")
        )
        return qs.defer(*LIST_DEFERRED) if self.action == "list" else qs

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        # Each move names its input (its action's serializer_class); recording has its own.
        return RecordInput if self.action == "create" else super().get_serializer_class()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_object(self) -> Petition:
        petition = selectors.petition_for_staff(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, petition)
        return petition

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    def create(self, request: Request) -> Response:
        # The service refuses a date no deadline rule covers as a field error (400).
        data = self.move_input("create", None)
        submitted = services.petition_submit(
            actor=request.user,
            kind=data["kind"],
            subject=data["subject"],
            content=data["content"],
            field=data["field"],
            handling_agency=data["handling_agency"],
            commune=data["commune"],
            identity=Identity.from_fields(data, data["co_signers"]),
            co_signers_count=len(data["co_signers"]),
            channel=data["channel"],
            received_on=data["received_on"],
            is_remote_area=data["is_remote_area"],
        )
        return self._detail(
            submitted.petition.pk,
            status_code=201,
            serializer_class=PetitionRecordedSerializer,
            tracking_code=submitted.tracking_code,
        )

    # --- the moves: the pages' own mapping to the services (moves.run) ----------------------

    def run_move(self, name: str, case: Petition, data: dict[str, Any]) -> object:
        return moves.run(name, case, self.request.user, data)

    def move_machine(self, name: str, case: Petition) -> tuple[Machine[Any], Any]:
        return MACHINE, case

    def moved(self, name: str, case: Petition, result: object) -> Response:
        """The case as it is now; or the new case a transfer or an appeal opened."""
        # Services answer with an event, or with the case a move opened elsewhere.
        if isinstance(result, Petition):
            return self._created(result)
        return self._detail(case.pk)

    # --- answers ---------------------------------------------------------------------------

    def _detail(
        self,
        pk: int,
        *,
        status_code: int = 200,
        serializer_class: type[PetitionDetailSerializer] = PetitionDetailSerializer,
        **extra: Any,
    ) -> Response:
        """The case as it is now, read afresh, with what this user may see and do on it."""
        user = self.request.user
        petition = selectors.petition_for_staff(user, pk)
        context = {
            **self.get_serializer_context(),
            "view": selectors.petition_view_for(user, petition),
            "available_actions": [
                name for name in moves.available_actions(user, petition) if name in API_MOVES
            ],
            **extra,
        }
        headers = {"Location": absolute_url(context, self._url(pk))} if status_code == 201 else None
        return Response(
            serializer_class(petition, context=context).data, status=status_code, headers=headers
        )

    def _created(self, petition: Petition) -> Response:
        """A case a move opened elsewhere, in the summary form (it may be outside the scope)."""
        context = self.get_serializer_context()
        data = PetitionSummarySerializer(petition, context=context).data
        headers = {"Location": absolute_url(context, self._url(petition.pk))}
        return Response(data, status=201, headers=headers)

    @staticmethod
    def _url(pk: int) -> str:
        return reverse("api:petition-detail", args=[pk])
