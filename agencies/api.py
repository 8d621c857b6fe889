"""REST API of the directory — agencies and administrative units — and the building blocks
every app's API shares: pagination, stable ordering, id filters, named enums in the
schema, error responses and accent-insensitive name search.

The directory is read-only here: it changes through the admin and `load_units`. It is
not scope-limited: the citizen's form already lists every active agency publicly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import filters, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from unidecode import unidecode

from .models import AdministrativeUnit, Agency

# --- building blocks shared by the apps' APIs -------------------------------------------

# The largest id a bigint column holds. A larger number in a filter would overflow the
# database driver (a 500); IdFilter answers 400 instead.
MAX_ID = 2**63 - 1


class LabelField(serializers.CharField):
    """The translated label of a choice (`get_<field>_display`); null when blank."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return str(value) if value else None


def absolute_url(context: dict[str, Any], path: str) -> str:
    """`path` as an absolute URL of the request in a serializer's context (as is without)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# DRF's Vietnamese catalogue translates only 20 of its messages. These are the ones an API
# client meets; naming them here puts them in this app's catalogue (makemessages), where
# Django finds them because DRF's own catalogue has no translation for them.
DRF_MESSAGES = (
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("User inactive or deleted."),
    gettext_noop("Invalid page."),
    gettext_noop("Malformed request."),
    gettext_noop("Invalid input."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("This field may not be null."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("A valid integer is required."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Null characters are not allowed."),
)


class Pagination(PageNumberPagination):
    """50 rows a page (settings.PAGE_SIZE); `page_size` up to 200 — a province's communes."""

    page_size_query_param = "page_size"
    max_page_size = 200


class StableOrderingFilter(filters.OrderingFilter):
    """The requested ordering, then the id: pages never repeat or skip a row on ties."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not any(term.lstrip("-") in {"id", "pk"} for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id: a positive integer that fits the column, otherwise 400 — never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class EnumField(serializers.ChoiceField):
    """A choice field published in the schema as an enum with its own name.

    drf-spectacular names enums after the field, so `kind` or `status` with different
    choices in several serializers would collide (a schema warning); each choice set here
    carries an explicit name (`PetitionStatus`, `AgencyKind`…). A blank value reads as null.
    """

    def __init__(self, choices: Iterable[Any], *, enum_name: str, **kwargs: Any) -> None:
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


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")


ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description="Bad input: `{field: [message, …]}` (or `non_field_errors`).",
    ),
    403: OpenApiResponse(
        response=ErrorSerializer,
        description="Not authenticated, or the role does not allow this action.",
    ),
    404: OpenApiResponse(response=ErrorSerializer, description="No such row in your scope."),
    409: OpenApiResponse(
        response=ErrorSerializer,
        description="The move is not possible in the case's current state, or another "
        "user changed the case a moment ago.",
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERROR_RESPONSES[code] for code in codes}


# Each plain letter stands for every Vietnamese letter that transliterates to it, in both
# cases (PostgreSQL's case-insensitive match ignores non-ASCII case under the C locale).
_VARIANTS = {
    "a": "aàáạảãâầấậẩẫăằắặẳẵ",
    "e": "eèéẹẻẽêềếệểễ",
    "i": "iìíịỉĩ",
    "o": "oòóọỏõôồốộổỗơờớợởỡ",
    "u": "uùúụủũưừứựửữ",
    "y": "yỳýỵỷỹ",
    "d": "dđ",
}
_CLASSES = {letter: f"[{chars}{chars.upper()}]" for letter, chars in _VARIANTS.items()}


def name_search(text: str, *fields: str) -> Q:
    """Each word must appear in one of `fields`, with or without diacritics.

    Names carry no transliterated column, so the words become character-class regexes
    ("vien" → v[iì…][eè…]n); only letters and digits reach the pattern.
    """
    query = Q()
    for word in re.findall(r"[a-z0-9]+", unidecode(text).lower())[:8]:
        pattern = "".join(_CLASSES.get(char, char) for char in word)
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__iregex": pattern})
        query &= any_field
    return query


# --- the directory ------------------------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]
        read_only_fields = fields


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")
    level = EnumField(AdministrativeUnit.Level.choices, enum_name="UnitLevel", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind = EnumField(AdministrativeUnit.Kind.choices, enum_name="UnitKind", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "url",
            "code",
            "name",
            "level",
            "level_display",
            "kind",
            "kind_display",
            "parent",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agency-detail")
    kind = EnumField(Agency.Kind.choices, enum_name="AgencyKind", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit = UnitRefSerializer(read_only=True)
    province = UnitRefSerializer(read_only=True)
    parent = AgencyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "url",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "unit",
            "province",
            "parent",
            "email",
        ]
        read_only_fields = fields


class AdministrativeUnitFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=AdministrativeUnit.Level.choices)
    kind = django_filters.ChoiceFilter(choices=AdministrativeUnit.Kind.choices)
    parent = IdFilter(field_name="parent_id", help_text="Units directly under this unit.")
    province = IdFilter(
        method="filter_province", help_text="This province and every commune in it."
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text="Words of the name, with or without diacritics.",
    )

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    def filter_province(
        self, queryset: QuerySet[AdministrativeUnit], name: str, value: int
    ) -> QuerySet[AdministrativeUnit]:
        return queryset.filter(Q(pk=value) | Q(parent_id=value))

    def filter_q(
        self, queryset: QuerySet[AdministrativeUnit], name: str, value: str
    ) -> QuerySet[AdministrativeUnit]:
        return queryset.filter(name_search(value, "name"))


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Agency.Kind.choices)
    unit = IdFilter(field_name="unit_id")
    province = IdFilter(field_name="province_id")
    parent = IdFilter(field_name="parent_id")
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text="Words of the name or short name, with or without diacritics.",
    )

    class Meta:
        model = Agency
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Agency], name: str, value: str) -> QuerySet[Agency]:
        return queryset.filter(name_search(value, "name", "short_name"))


@extend_schema(tags=["units"])
@extend_schema_view(
    list=extend_schema(
        summary="Administrative units",
        description="Provinces and communes with their statistics-office codes, a page at "
        "a time (3,355 rows after the 2025 reform). Pre-2025 units are kept with "
        "`valid_to` because old cases name them.",
        responses={200: AdministrativeUnitSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="One administrative unit",
        responses={200: AdministrativeUnitSerializer, **error_responses(403, 404)},
    ),
)
class AdministrativeUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AdministrativeUnitSerializer
    filterset_class = AdministrativeUnitFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    ordering_fields = ["name", "code"]
    ordering = ["level", "name", "id"]
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[AdministrativeUnit]:
        return AdministrativeUnit.objects.select_related("parent")


@extend_schema(tags=["agencies"])
@extend_schema_view(
    list=extend_schema(
        summary="Agencies",
        description="Active agencies: People's Committees and Councils, departments, "
        "inspectorates — the bodies that receive and resolve cases.",
        responses={200: AgencySerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="One agency", responses={200: AgencySerializer, **error_responses(403, 404)}
    ),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    ordering_fields = ["name"]
    ordering = ["name", "id"]
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.filter(is_active=True).select_related("unit", "province", "parent")
