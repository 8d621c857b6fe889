"""What the petitions API answers: a case in a list, one case with its timeline, the
petitioner as the reader may see them, and the recorded case with its tracking code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.workdays import DueDate
from casework.drf.directory import AgencyRefSerializer, UnitRefSerializer
from casework.drf.fields import EnumField, LabelField, PageAndPhaseFields, absolute_url
from casework.drf.serializers import EventSerializerBase, more_fields

from ..models import (
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
from ..models import Clock as ClockKind
from ..moves import STAFF_MOVES
from ..presentation import MOVE_LABELS
from ..selectors import PetitionView

# One name per choice set in the schema (casework.drf.fields.EnumField); the inputs use
# the same ones.


def kind_field(**kwargs: Any) -> EnumField:
    return EnumField(Kind.choices, enum_name="PetitionKind", **kwargs)


def field_field(**kwargs: Any) -> EnumField:
    return EnumField(Field.choices, enum_name="PetitionField", **kwargs)


def status_field(**kwargs: Any) -> EnumField:
    return EnumField(Status.choices, enum_name="PetitionStatus", **kwargs)


class ChoiceLabelField(LabelField):
    """The translated label of a choice column, read from the column (`source`) and
    looked up in its choices: what `get_<field>_display` answers, at one translation a
    value. The model's method hashes every label of the choices (each a translation)
    on every call, and DRF inspects its signature first: two thirds of a list's time
    at 50 rows and seven labels a row."""

    def __init__(self, choices: Sequence[tuple[Any, Any]], **kwargs: Any) -> None:
        self.labels = dict(choices)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        # An unknown value reads as itself, as get_<field>_display answers it.
        return super().to_representation(self.labels.get(value, value))


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


class PetitionSummarySerializer(PageAndPhaseFields, serializers.ModelSerializer):
    """A petition in a list: everything but the content, the timeline and the files."""

    url = serializers.HyperlinkedIdentityField(view_name="api:petition-detail")
    kind = kind_field(read_only=True)
    kind_display = ChoiceLabelField(Kind.choices, source="kind")
    channel = EnumField(Channel.choices, enum_name="PetitionChannel", read_only=True)
    channel_display = ChoiceLabelField(Channel.choices, source="channel")
    field = field_field(read_only=True)
    field_display = ChoiceLabelField(Field.choices, source="field")
    commune = UnitRefSerializer(read_only=True, allow_null=True)
    handling_agency = AgencyRefSerializer(read_only=True)
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    # The model's one rule: a denouncer is always the mask, in the reader's language.
    display_name = serializers.CharField(source="public_name", read_only=True)
    status = status_field(read_only=True)
    status_display = ChoiceLabelField(Status.choices, source="status")
    clock = EnumField(ClockKind.choices, enum_name="PetitionClock", read_only=True, allow_null=True)
    clock_display = ChoiceLabelField(ClockKind.choices, source="clock")
    outcome = EnumField(
        Outcome.choices, enum_name="PetitionOutcome", read_only=True, allow_null=True
    )
    outcome_display = ChoiceLabelField(Outcome.choices, source="outcome")
    not_accepted_reason = EnumField(
        NotAcceptedReason.choices, enum_name="NotAcceptedReason", read_only=True, allow_null=True
    )
    not_accepted_reason_display = ChoiceLabelField(
        NotAcceptedReason.choices, source="not_accepted_reason"
    )
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


class PetitionerSerializer(serializers.Serializer):
    """A non-denunciation's petitioner, as the case page shows them."""

    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    id_number = serializers.CharField()
    co_signers = serializers.ListField(child=serializers.CharField())


class PetitionEventSerializer(EventSerializerBase):
    action_display = serializers.SerializerMethodField()
    from_status = status_field(read_only=True, allow_null=True)
    to_status = status_field(read_only=True)

    class Meta:
        model = PetitionEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "said",
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

    # What depends on the reader comes in the context, decided where the pages decide
    # it: `view` (selectors.petition_view_for) and `available_actions` (moves).

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

    Meta = more_fields(
        PetitionSummarySerializer,
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
    )

    def _view(self) -> PetitionView:
        return cast(PetitionView, self.context["view"])

    @extend_schema_field(PetitionerSerializer(allow_null=True))
    def get_petitioner(self, petition: Petition) -> dict[str, Any] | None:
        # Never a denouncer: their identity is revealed only on the page, with a reason.
        identity = self._view().identity
        return None if identity is None else dict(PetitionerSerializer(identity).data)

    def get_handling_explanation(self, petition: Petition) -> str | None:
        return (
            DueDate.from_dict(petition.handling_rule).explain() if petition.handling_rule else None
        )

    def get_resolution_explanation(self, petition: Petition) -> str | None:
        # While the resolution clock runs its rule carries the extensions and pauses.
        rule = petition.clock_rule if petition.clock == ClockKind.RESOLUTION else None
        rule = rule or petition.resolution_rule
        return DueDate.from_dict(rule).explain() if rule else None

    @extend_schema_field(PetitionAttachmentSerializer(many=True))
    def get_attachments(self, petition: Petition) -> list[dict[str, Any]]:
        visible = self._view().attachments
        return list(PetitionAttachmentSerializer(visible, many=True, context=self.context).data)

    def get_hidden_attachments(self, petition: Petition) -> int:
        """How many attachments may identify the denouncer and are hidden from you."""
        return self._view().hidden_attachments

    @extend_schema_field(
        serializers.ListField(
            child=EnumField(
                [(name, MOVE_LABELS[name]) for name in STAFF_MOVES], enum_name="PetitionAction"
            )
        )
    )
    def get_available_actions(self, petition: Petition) -> list[str]:
        return list(self.context.get("available_actions", []))


class PetitionRecordedSerializer(PetitionDetailSerializer):
    """The recorded petition and its tracking code — shown this once, never stored."""

    tracking_code = serializers.SerializerMethodField()

    Meta = more_fields(PetitionDetailSerializer, "tracking_code")

    def get_tracking_code(self, petition: Petition) -> str:
        return str(self.context["tracking_code"])
