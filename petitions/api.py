"""REST API of petitions: the officials' inbox, one case, and one POST per transition.

Thin, like the pages (STYLE: Views and API): every read starts from
`selectors.visible_petitions` / `selectors.petition_for_staff` (404 outside the user's
scope); every write validates a small input serializer and calls the same service as
the staff page; the one exception handler turns the services' errors into 409 / 403 / 400.

Confidentiality: the API never returns a denouncer's identity. Denunciations show the
mask; the logged identity reveal exists only on the staff page. A non-denunciation's
petitioner is returned on the detail to users who may see the case — as the page does.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.clocks import NoPolicy, Phase, phase_filter
from agencies.models import AdministrativeUnit, Agency
from agencies.workdays import DueDate
from casework.drf.directory import AgencyRefSerializer, UnitRefSerializer
from casework.drf.errors import error_responses
from casework.drf.fields import EnumField, LabelField, absolute_url
from casework.drf.filters import IdFilter
from casework.drf.pagination import Pagination, StableOrderingFilter

from . import selectors, services
from .identity import MASK, Identity
from .models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    Extension,
    Field,
    Kind,
    NotAcceptedReason,
    Outcome,
    Petition,
    PetitionEvent,
    Status,
    Suspension,
)
from .models import Clock as ClockKind
from .presentation import MOVE_LABELS

# The POST actions of a petition, named like the moves of `services.available_actions`
# so that a client can call /petitions/{id}/{name}/ for each name it is offered.
API_MOVES = (
    "accept",
    "transfer",
    "guide",
    "not_accept",
    "file",
    "suspend",
    "resume",
    "extend",
    "resolve",
    "close",
    "appeal",
    "withdraw",
    "terminate",
    "assign",
    "note",
)
TEXT_MAX = 5000  # notes and reasons: generous, but no megabyte paste reaches a row

# One name per choice set in the schema (see agencies.api.EnumField).
PETITION_KIND = {"choices": Kind.choices, "enum_name": "PetitionKind"}
PETITION_FIELD = {"choices": Field.choices, "enum_name": "PetitionField"}
PETITION_STATUS = {"choices": Status.choices, "enum_name": "PetitionStatus"}


# --- output ---------------------------------------------------------------------------------


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return user.get_full_name() or user.username


class PetitionRefSerializer(serializers.ModelSerializer):
    """A linked case; it may lie outside the reader's scope, and then its `url` is a 404."""

    url = serializers.HyperlinkedIdentityField(view_name="api:petition-detail")
    handling_agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = Petition
        fields = ["id", "url", "reference", "handling_agency"]


class PetitionSummarySerializer(serializers.ModelSerializer):
    """A petition in a list: everything but the content, the timeline and the files."""

    url = serializers.HyperlinkedIdentityField(view_name="api:petition-detail")
    page_url = serializers.SerializerMethodField()
    kind = EnumField(**PETITION_KIND, read_only=True)
    kind_display = LabelField(source="get_kind_display")
    channel = EnumField(Channel.choices, enum_name="PetitionChannel", read_only=True)
    channel_display = LabelField(source="get_channel_display")
    field = EnumField(**PETITION_FIELD, read_only=True)
    field_display = LabelField(source="get_field_display")
    commune = UnitRefSerializer(read_only=True, allow_null=True)
    handling_agency = AgencyRefSerializer(read_only=True)
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    display_name = serializers.SerializerMethodField()
    status = EnumField(**PETITION_STATUS, read_only=True)
    status_display = LabelField(source="get_status_display")
    clock = EnumField(ClockKind.choices, enum_name="PetitionClock", read_only=True, allow_null=True)
    clock_display = LabelField(source="get_clock_display")
    phase = serializers.SerializerMethodField()
    phase_display = serializers.SerializerMethodField()
    outcome = EnumField(
        Outcome.choices, enum_name="PetitionOutcome", read_only=True, allow_null=True
    )
    outcome_display = LabelField(source="get_outcome_display")
    not_accepted_reason = EnumField(
        NotAcceptedReason.choices, enum_name="NotAcceptedReason", read_only=True, allow_null=True
    )
    not_accepted_reason_display = LabelField(source="get_not_accepted_reason_display")
    previous = PetitionRefSerializer(read_only=True, allow_null=True)
    transferred_from = PetitionRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Petition
        fields = [
            "id",
            "url",
            "page_url",
            "reference",
            "kind",
            "kind_display",
            "round",
            "channel",
            "channel_display",
            "field",
            "field_display",
            "subject",
            "commune",
            "handling_agency",
            "assigned_to",
            "display_name",
            "co_signers_count",
            "is_complex",
            "is_especially_complex",
            "is_remote_area",
            "status",
            "status_display",
            "clock",
            "clock_display",
            "clock_due_on",
            "phase",
            "phase_display",
            "received_on",
            "handling_due_on",
            "handled_on",
            "accepted_on",
            "resolution_due_on",
            "resolved_on",
            "suspended_on",
            "extensions_count",
            "closes_on",
            "outcome",
            "outcome_display",
            "decision_number",
            "decision_date",
            "result_summary",
            "not_accepted_reason",
            "not_accepted_reason_display",
            "guided_to",
            "previous",
            "transferred_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, petition: Petition) -> str:
        return absolute_url(self.context, petition.get_absolute_url())

    def get_display_name(self, petition: Petition) -> str:
        # The stored name of a denunciation is the mask in the language of the day it was
        # received; the mask in the reader's language, from the code, can never be a name.
        return str(MASK) if petition.is_denunciation else petition.display_name

    @extend_schema_field(EnumField(Phase.choices, enum_name="ClockPhase", allow_null=True))
    def get_phase(self, petition: Petition) -> str | None:
        return petition.phase(self.context["today"]) or None

    def get_phase_display(self, petition: Petition) -> str | None:
        return petition.phase_label(self.context["today"]) or None


class PetitionerSerializer(serializers.Serializer):
    """A non-denunciation's petitioner, as the case page shows them."""

    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    id_number = serializers.CharField()
    co_signers = serializers.ListField(child=serializers.CharField())


class PetitionEventSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()
    from_status = EnumField(**PETITION_STATUS, read_only=True, allow_null=True)
    to_status = EnumField(**PETITION_STATUS, read_only=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = PetitionEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "note",
            "is_public",
            "agency",
            "by_citizen",
            "actor_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_action_display(self, event: PetitionEvent) -> str:
        return str(MOVE_LABELS.get(event.action, event.action))

    def get_actor_name(self, event: PetitionEvent) -> str | None:
        # Officials' names are for staff only; every API reader is staff of the case's scope.
        if event.actor is None:
            return None
        return event.actor.get_full_name() or event.actor.username


class PetitionAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "size",
            "content_type",
            "is_identifying",
            "event",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment: Attachment) -> str:
        # The staff page serves the file: it checks the scope and the reveal right again.
        path = reverse("petitions:attachment", args=[attachment.petition_id, attachment.pk])
        return absolute_url(self.context, path)


class PetitionExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = [
            "days",
            "reason",
            "decision_number",
            "previous_due_on",
            "new_due_on",
            "created_at",
        ]
        read_only_fields = fields


class PetitionSuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspension
        fields = ["started_on", "ended_on", "reason", "decision_number"]
        read_only_fields = fields


class PetitionDetailSerializer(PetitionSummarySerializer):
    """One case: the summary, the content, the petitioner (never a denouncer), the
    timeline, the attachments you may see and the actions you may take now."""

    # The view computes what depends on the reader (petitioner, may_reveal,
    # available_actions) with the services and hands it over in the context.

    petitioner = serializers.SerializerMethodField()
    handling_explanation = serializers.SerializerMethodField()
    resolution_explanation = serializers.SerializerMethodField()
    extensions = PetitionExtensionSerializer(many=True, read_only=True)
    suspensions = PetitionSuspensionSerializer(many=True, read_only=True)
    transfers = PetitionRefSerializer(many=True, read_only=True)
    appeals = PetitionRefSerializer(many=True, read_only=True)
    events = PetitionEventSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    hidden_attachments = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(PetitionSummarySerializer.Meta):
        fields = [
            *PetitionSummarySerializer.Meta.fields,
            "content",
            "petitioner",
            "handling_explanation",
            "resolution_explanation",
            "extensions",
            "suspensions",
            "transfers",
            "appeals",
            "events",
            "attachments",
            "hidden_attachments",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(PetitionerSerializer(allow_null=True))
    def get_petitioner(self, petition: Petition) -> dict[str, Any] | None:
        identity: Identity | None = self.context.get("petitioner")
        return None if identity is None else PetitionerSerializer(identity).data

    def get_handling_explanation(self, petition: Petition) -> str | None:
        return (
            DueDate.from_dict(petition.handling_rule).explain() if petition.handling_rule else None
        )

    def get_resolution_explanation(self, petition: Petition) -> str | None:
        # While the resolution clock runs its rule carries the extensions and pauses.
        rule = petition.clock_rule if petition.clock == ClockKind.RESOLUTION else None
        rule = rule or petition.resolution_rule
        return DueDate.from_dict(rule).explain() if rule else None

    def _visible_attachments(self, petition: Petition) -> list[Attachment]:
        may_reveal = self.context.get("may_reveal", False)
        return [a for a in petition.attachments.all() if may_reveal or not a.is_identifying]

    @extend_schema_field(PetitionAttachmentSerializer(many=True))
    def get_attachments(self, petition: Petition) -> list[dict[str, Any]]:
        visible = self._visible_attachments(petition)
        return PetitionAttachmentSerializer(visible, many=True, context=self.context).data

    def get_hidden_attachments(self, petition: Petition) -> int:
        """How many attachments may identify the denouncer and are hidden from you."""
        return len(petition.attachments.all()) - len(self._visible_attachments(petition))

    @extend_schema_field(
        serializers.ListField(
            child=EnumField(
                [(name, MOVE_LABELS[name]) for name in API_MOVES], enum_name="PetitionAction"
            )
        )
    )
    def get_available_actions(self, petition: Petition) -> list[str]:
        return list(self.context.get("available_actions", []))


class PetitionRecordedSerializer(PetitionDetailSerializer):
    """The recorded petition and its tracking code — shown this once, never stored."""

    tracking_code = serializers.SerializerMethodField()

    class Meta(PetitionDetailSerializer.Meta):
        fields = [*PetitionDetailSerializer.Meta.fields, "tracking_code"]
        read_only_fields = fields

    def get_tracking_code(self, petition: Petition) -> str:
        return str(self.context["tracking_code"])


# --- input ----------------------------------------------------------------------------------


def _text(*, required: bool = True, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    if required:
        return serializers.CharField(max_length=max_length, **kwargs)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


class OptionalNoteInput(serializers.Serializer):
    note = _text(required=False)


class RequiredNoteInput(serializers.Serializer):
    note = _text()


class AcceptInput(OptionalNoteInput):
    is_complex = serializers.BooleanField(
        default=False, help_text="Complex case: the longer legal period applies."
    )


class TransferInput(OptionalNoteInput):
    to_agency = serializers.PrimaryKeyRelatedField(
        queryset=_active_agencies(), help_text="The competent agency."
    )


class GuideInput(serializers.Serializer):
    guided_to = _text(max_length=300, help_text="Where the citizen should submit, and how.")


class NotAcceptInput(OptionalNoteInput):
    reason = EnumField(NotAcceptedReason.choices, enum_name="NotAcceptedReason")


class DecisionInput(serializers.Serializer):
    reason = _text()
    decision_number = _text(max_length=60)


class ExtendInput(DecisionInput):
    especially_complex = serializers.BooleanField(
        default=False, help_text="Denunciations: especially complex allows a second extension."
    )


class ResolveInput(serializers.Serializer):
    outcome = EnumField(Outcome.choices, enum_name="PetitionOutcome")
    decision_number = _text(max_length=60)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    result_summary = _text(help_text="The result, as the citizen will read it.")


class AppealInput(serializers.Serializer):
    content = serializers.CharField(min_length=20, max_length=20000)
    to_agency = serializers.PrimaryKeyRelatedField(
        queryset=_active_agencies(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The agency resolving the second round; empty: the parent agency.",
    )


class ReasonInput(serializers.Serializer):
    reason = _text()


class OptionalReasonInput(serializers.Serializer):
    reason = _text(required=False)


class AssignInput(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=selectors.handlers_of(0), help_text="A handler or lead of the case's agency."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        petition = self.context.get("petition")
        if petition is not None:
            # The same choice the page offers: the active handlers and leads of the agency.
            self.fields["handler"].queryset = selectors.handlers_of(petition.handling_agency_id)


RECORD_CHANNELS = [(c.value, c.label) for c in (Channel.IN_PERSON, Channel.POST, Channel.FORWARDED)]


class RecordInput(serializers.Serializer):
    """A petition an official received in person, by post or forwarded by another body."""

    kind = EnumField(**PETITION_KIND)
    field = EnumField(**PETITION_FIELD)
    channel = EnumField(RECORD_CHANNELS, enum_name="RecordChannel")
    handling_agency = serializers.PrimaryKeyRelatedField(
        queryset=_active_agencies(), help_text="An agency where you may handle cases."
    )
    commune = serializers.PrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE),
        required=False,
        allow_null=True,
        default=None,
    )
    subject = serializers.CharField(max_length=200)
    content = serializers.CharField(min_length=20, max_length=20000)
    received_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: today."
    )
    is_remote_area = serializers.BooleanField(default=False)
    name = _text(required=False, max_length=120, help_text="Empty for an anonymous letter.")
    phone = serializers.RegexField(
        r"^\+?[0-9 .-]{8,15}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": gettext_lazy("Enter a phone number of 8 to 15 digits.")},
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = _text(required=False, max_length=300)
    id_number = serializers.RegexField(
        r"^[0-9]{9,12}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": gettext_lazy("A citizen ID number has 9 or 12 digits.")},
    )
    co_signers = serializers.ListField(
        child=serializers.CharField(max_length=120),
        required=False,
        default=list,
        max_length=500,
        help_text="The other signatories of a petition signed by several people.",
    )


# --- filters --------------------------------------------------------------------------------


class PetitionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: received, accepted or suspended only."
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    round = django_filters.ChoiceFilter(choices=[(1, "1"), (2, "2")])
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    field = django_filters.ChoiceFilter(choices=Field.choices)
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
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
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
        return queryset.filter(phase_filter("clock", value, timezone.localdate()))

    def filter_assigned_to_me(
        self, queryset: QuerySet[Petition], name: str, value: bool
    ) -> QuerySet[Petition]:
        user = self.request.user if self.request is not None else None
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)

    def filter_q(self, queryset: QuerySet[Petition], name: str, value: str) -> QuerySet[Petition]:
        return queryset.filter(selectors.search_filter(value))


# --- the viewset ------------------------------------------------------------------------------

MOVED = {200: PetitionDetailSerializer, **error_responses(400, 403, 404, 409)}
CREATED = {201: PetitionSummarySerializer, **error_responses(400, 403, 404, 409)}


def _move_schema(summary: str) -> Any:
    # The request body is the action's `serializer_class`; the answer is the updated case.
    return extend_schema(summary=summary, responses=MOVED)


@extend_schema(tags=["petitions"])
@extend_schema_view(
    list=extend_schema(
        summary="Petitions in your scope",
        description="The cases of the agencies you may see — your own agencies, or the "
        "whole province for monitors. Newest first unless `ordering` says otherwise.",
        responses={200: PetitionSummarySerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="One petition with its timeline, attachments and available actions",
        responses={200: PetitionDetailSerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="Record a petition received in person, by post or forwarded",
        description="Needs the handler or lead role in `handling_agency`. The response "
        "carries the citizen's tracking code, shown this once.",
        responses={201: PetitionRecordedSerializer, **error_responses(400, 403)},
    ),
)
class PetitionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PetitionSummarySerializer
    filterset_class = PetitionFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    ordering_fields = ["clock_due_on", "received_on", "reference"]
    ordering = ["-received_on", "-id"]
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Petition]:
        # Joined so that a page of any size costs one query (the links name their agency).
        return (
            selectors.visible_petitions(self.request.user)
            .for_inbox()
            .select_related("previous__handling_agency", "transferred_from__handling_agency")
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # Each move names its input in @action(serializer_class=…); recording has its own.
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
        data = self._valid()
        try:
            submitted = services.petition_submit(
                actor=request.user,
                kind=data["kind"],
                subject=data["subject"],
                content=data["content"],
                field=data["field"],
                handling_agency=data["handling_agency"],
                commune=data["commune"],
                identity=Identity(
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    id_number=data["id_number"],
                    co_signers=data["co_signers"],
                ),
                co_signers_count=len(data["co_signers"]),
                channel=data["channel"],
                received_on=data["received_on"],
                is_remote_area=data["is_remote_area"],
            )
        except NoPolicy as exc:
            # No legal clock was in force that day (e.g. before the 2021 circular): bad input.
            raise ValidationError(
                {"received_on": [_("No deadline rule was in force on the date received.")]}
            ) from exc
        return self._detail(
            submitted.petition.pk,
            status_code=201,
            serializer_class=PetitionRecordedSerializer,
            tracking_code=submitted.tracking_code,
        )

    # --- transitions: validate, call the page's service, answer with the case -------------

    @_move_schema("Accept for resolution (lead): starts the resolution clock")
    @action(detail=True, methods=["post"], serializer_class=AcceptInput)
    def accept(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_accept(
            petition=petition, actor=request.user, is_complex=data["is_complex"], note=data["note"]
        )
        return self._detail(petition.pk)

    @extend_schema(
        summary="Transfer to the competent agency (handler)",
        description="The receiving agency gets a new case; the answer is that new case "
        "(201), which may lie outside your scope.",
        responses=CREATED,
    )
    @action(detail=True, methods=["post"], serializer_class=TransferInput)
    def transfer(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        new = services.petition_transfer(
            petition=petition, actor=request.user, to_agency=data["to_agency"], note=data["note"]
        )
        return self._created(new)

    @_move_schema("Guide the citizen elsewhere (handler); terminal")
    @action(detail=True, methods=["post"], serializer_class=GuideInput)
    def guide(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_guide(petition=petition, actor=request.user, guided_to=data["guided_to"])
        return self._detail(petition.pk)

    @_move_schema("Do not accept, with a legal reason (lead); terminal")
    @action(detail=True, methods=["post"], serializer_class=NotAcceptInput)
    def not_accept(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_not_accept(
            petition=petition, actor=request.user, reason=data["reason"], note=data["note"]
        )
        return self._detail(petition.pk)

    @_move_schema("File without action (handler); terminal")
    @action(detail=True, methods=["post"], serializer_class=RequiredNoteInput)
    def file(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_file(petition=petition, actor=request.user, note=data["note"])
        return self._detail(petition.pk)

    @_move_schema("Suspend (lead): the resolution clock pauses")
    @action(detail=True, methods=["post"], serializer_class=DecisionInput)
    def suspend(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_suspend(
            petition=petition,
            actor=request.user,
            reason=data["reason"],
            decision_number=data["decision_number"],
        )
        return self._detail(petition.pk)

    @_move_schema("Resume (lead): the clock goes on, pushed by the paused days")
    @action(detail=True, methods=["post"], serializer_class=OptionalNoteInput)
    def resume(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_resume(petition=petition, actor=request.user, note=data["note"])
        return self._detail(petition.pk)

    @_move_schema("Extend the resolution deadline (lead), within the policy's cap")
    @action(detail=True, methods=["post"], serializer_class=ExtendInput)
    def extend(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_extend(
            petition=petition,
            actor=request.user,
            reason=data["reason"],
            decision_number=data["decision_number"],
            especially_complex=data["especially_complex"],
        )
        return self._detail(petition.pk)

    @_move_schema("Resolve with an outcome and a decision (lead)")
    @action(detail=True, methods=["post"], serializer_class=ResolveInput)
    def resolve(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_resolve(
            petition=petition,
            actor=request.user,
            outcome=data["outcome"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            result_summary=data["result_summary"],
        )
        return self._detail(petition.pk)

    @_move_schema("Close a resolved case (lead)")
    @action(detail=True, methods=["post"], serializer_class=OptionalNoteInput)
    def close(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_close(petition=petition, actor=request.user, note=data["note"])
        return self._detail(petition.pk)

    @extend_schema(
        summary="Record a second-round complaint (handler)",
        description="Opens a linked second-round case at the higher agency; the answer "
        "is that new case (201), which may lie outside your scope.",
        responses=CREATED,
    )
    @action(detail=True, methods=["post"], serializer_class=AppealInput)
    def appeal(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        new = services.petition_appeal(
            petition=petition,
            actor=request.user,
            content=data["content"],
            to_agency=data["to_agency"],
        )
        return self._created(new)

    @_move_schema("Record the petitioner's withdrawal (lead)")
    @action(detail=True, methods=["post"], serializer_class=OptionalReasonInput)
    def withdraw(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_withdraw(petition=petition, actor=request.user, reason=data["reason"])
        return self._detail(petition.pk)

    @_move_schema("Terminate, with the reason (lead)")
    @action(detail=True, methods=["post"], serializer_class=ReasonInput)
    def terminate(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_terminate(petition=petition, actor=request.user, reason=data["reason"])
        return self._detail(petition.pk)

    @_move_schema("Assign a handler of the agency (lead); internal")
    @action(detail=True, methods=["post"], serializer_class=AssignInput)
    def assign(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_assign(petition=petition, actor=request.user, handler=data["handler"])
        return self._detail(petition.pk)

    @_move_schema("Add an internal note (handler); never shown to the citizen")
    @action(detail=True, methods=["post"], serializer_class=RequiredNoteInput)
    def note(self, request: Request, pk: str) -> Response:
        petition, data = self._load()
        services.petition_add_note(petition=petition, actor=request.user, note=data["note"])
        return self._detail(petition.pk)

    # --- helpers ----------------------------------------------------------------------------

    def _valid(self, petition: Petition | None = None) -> dict[str, Any]:
        """The action's input, validated by its serializer (400 with each field's errors)."""
        context = {**self.get_serializer_context(), "petition": petition}
        serializer = self.get_serializer_class()(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _load(self) -> tuple[Petition, dict[str, Any]]:
        """The case through the scope (404 outside it), then the action's valid input."""
        petition = self.get_object()
        return petition, self._valid(petition)

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
        may_reveal = services.may_reveal(user, petition)
        petitioner = None
        if may_reveal and not petition.is_denunciation:
            # Never a denouncer: their identity is revealed only on the page, with a logged reason.
            petitioner = services.petition_reveal_identity(petition=petition, actor=user, reason="")
        context = {
            **self.get_serializer_context(),
            "may_reveal": may_reveal,
            "petitioner": petitioner,
            "available_actions": [
                name for name in services.available_actions(user, petition) if name in API_MOVES
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
