"""The API's input: one small serializer per move, validated before the move's service
runs (400 naming each field); the service checks the rest and says what is wrong."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import AdministrativeUnit, Agency
from casework.drf.fields import MAX_ID, EnumField, IdField

from .. import selectors
from ..forms import check_document
from ..models import CouncilSession, Recommendation
from .refs import FIELD, RESULT

TEXT_MAX = 5000  # what voters raised, reasons: as the page's forms allow


class ObjectsField(serializers.ListField):
    """A list of row ids, read in one query; an id outside `queryset` is a 400."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {
        "does_not_exist": serializers.PrimaryKeyRelatedField.default_error_messages[
            "does_not_exist"
        ],
    }

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Any]:
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.queryset.in_bulk(ids) if ids else {}
        for pk in ids:
            if pk not in found:
                self.fail("does_not_exist", pk_value=pk)
        return [found[pk] for pk in ids]


def _text(*, required: bool = True, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    if required:
        return serializers.CharField(max_length=max_length, **kwargs)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _optional_date(help_text: str) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None, help_text=help_text)


class CollectInput(serializers.Serializer):
    content = _text(help_text="What the voters raised.")
    field = EnumField(**FIELD)
    voters_count = serializers.IntegerField(
        min_value=1, max_value=100_000, help_text="Voters raising it (at most those present)."
    )
    commune = IdField(
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE),
        required=False,
        allow_null=True,
        help_text="The commune concerned, of the council's province. Absent: the "
        "meeting's commune; null: the whole province.",
    )
    locality = _text(required=False, max_length=200, help_text="Village, hamlet or street.")


class ConsolidateInput(serializers.Serializer):
    duplicates = ObjectsField(
        queryset=Recommendation.objects.none(),
        required=False,
        default=list,
        help_text="Items of the same council to merge into this one (raised at its "
        "session or later). Empty: consolidate a collected item on its own.",
    )
    content = _text(required=False, help_text="The consolidated wording; empty: unchanged.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keeper: Recommendation | None = self.context.get("case")
        if keeper is not None:
            # Only items the user may see, of the keeper's council; the service checks
            # the rest (states, order of sessions) and says what is wrong.
            duplicates: Any = self.fields["duplicates"]
            duplicates.queryset = (
                selectors.visible_recommendations(self.context["request"].user)
                .filter(session__council_id=keeper.session.council_id)
                .select_related("session")
            )


class ForwardInput(serializers.Serializer):
    agencies = ObjectsField(
        queryset=Agency.objects.filter(is_active=True),
        help_text="The agencies to answer, of the council's province.",
    )
    dispatch_number = _text(max_length=60, help_text="E.g. 125/HĐND-VP.")
    dispatched_on = _optional_date("Date of the dispatch. Empty: today.")


class SessionForwardInput(ForwardInput):
    recommendations = ObjectsField(
        queryset=Recommendation.objects.none(),
        help_text="Consolidated items of this session; all are forwarded, or none.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session: CouncilSession | None = self.context.get("case")
        if session is not None:
            # Any item of the session: one that may not be forwarded is a 409 from the
            # service, with its state, rather than an "unknown id".
            items: Any = self.fields["recommendations"]
            items.queryset = Recommendation.objects.filter(session=session).select_related(
                "session__council"
            )


@extend_schema_field(OpenApiTypes.BINARY)
class DocumentField(serializers.FileField):
    """An uploaded file: the schema says binary (multipart), not a URL."""


class AnswerInput(serializers.Serializer):
    """JSON, or multipart/form-data to attach the answer document."""

    text = serializers.CharField(max_length=20_000)
    category = EnumField(**RESULT)
    reason = _text(required=False, help_text="Required when the result is `not_resolved`.")
    planned_by = _optional_date("Required when the result is `planned`.")
    document_number = _text(max_length=60, help_text="Number of the answer document.")
    answered_on = _optional_date("Date of the answer document. Empty: today.")
    document = DocumentField(
        required=False,
        allow_null=True,
        default=None,
        validators=[check_document],
        help_text="PDF, DOCX, JPEG or PNG, its type checked by content; at most 10 MB.",
    )


class DraftInput(serializers.Serializer):
    text = serializers.CharField(max_length=20_000)
    category = EnumField(**RESULT, required=False, allow_blank=True, default="")
    reason = _text(required=False)
    planned_by = _optional_date("The planned date, if known.")
    document_number = _text(required=False, max_length=60)


class AnswerAcceptInput(serializers.Serializer):
    note = _text(required=False, max_length=2000)
    assessed_on = _optional_date("Date of the assessment (not before the answer). Empty: today.")


class SendBackInput(serializers.Serializer):
    reason = _text(help_text="What the agency must add or do.")
    due_on = _optional_date("New deadline. Empty: a full new answer period from today.")
    allow_day_off = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Keep a `due_on` that falls on a weekend or holiday (refused otherwise).",
    )


class PublishInput(serializers.Serializer):
    note = _text(required=False, max_length=2000)
