"""Serializer fields every API shares: labels, named enums, absolute URLs, ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.clocks import Phase

# The largest id a bigint column holds. A larger number in a filter would overflow the
# database driver (a 500); IdFilter and casework.pages.int_param refuse it instead.
MAX_ID = 2**63 - 1


class IdField(serializers.PrimaryKeyRelatedField):
    """A row chosen by its id: a JSON integer, or its digits as text (a form post), and
    nothing else. DRF's own field hands the value to the database as is, which reads
    7.9 as agency 7 and `true` as row 1."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


class OptionalEmailField(serializers.EmailField):
    """A read-only e-mail address that may be missing: null, never "" (which is no
    e-mail, and which the schema's `format: email` would not allow)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        # The stub says a CharField always answers a str; a blank value is null here.
        return str(value) if value else None


class LabelField(serializers.CharField):
    """The translated label of a choice (`get_<field>_display`); null when blank."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        # The stub says a CharField always answers a str; a blank label is null here.
        return str(value) if value else None


def absolute_url(context: dict[str, Any], path: str) -> str:
    """`path` as an absolute URL of the request in a serializer's context (as is without)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class EnumField(serializers.ChoiceField):
    """A choice field published in the schema as an enum with its own name.

    drf-spectacular names enums after the field, so `kind` or `status` with different
    choices in several serializers would collide (a schema warning); each choice set here
    carries an explicit name (`PetitionStatus`, `AgencyKind`…). A blank value reads as null.
    """

    def __init__(self, choices: Sequence[Any], *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)

    def to_representation(self, value: Any) -> Any:
        if value in ("", None):
            return None
        return super().to_representation(value)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        choices = self.target.choices
        values = list(choices)
        return {
            "type": "integer" if all(isinstance(v, int) for v in values) else "string",
            "enum": values,
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.items()),
        }


class PageAndPhaseFields(serializers.Serializer):
    """A case's page on the site and the phase of its running clock today, for a case
    model with `get_absolute_url()`, `phase(today)` and `phase_label(today)`; the view
    puts `today` in the serializer context (one day for a whole page of cases)."""

    page_url = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    phase_display = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, case: Any) -> str:
        return absolute_url(self.context, case.get_absolute_url())

    @extend_schema_field(EnumField(Phase.choices, enum_name="ClockPhase", allow_null=True))
    def get_phase(self, case: Any) -> str | None:
        return case.phase(self.context["today"]) or None

    def get_phase_display(self, case: Any) -> str | None:
        return case.phase_label(self.context["today"]) or None
