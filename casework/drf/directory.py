"""REST API of the directory — agencies and administrative units — read-only: it
changes through the admin and `load_units`. It is not scope-limited: the citizen's
form already lists every active agency publicly. The reference serializers here are
what every case API nests for an agency or a unit.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from agencies.models import AdministrativeUnit, Agency
from casework.search import name_search

from .errors import detail_responses, listed_responses
from .fields import EnumField, OptionalEmailField
from .filters import IdFilter, WordsFilter
from .pagination import Pagination, StableOrderingFilter


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
    email = OptionalEmailField()

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
    q = WordsFilter(method="filter_q", help_text="Words of the name, with or without diacritics.")

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
    q = WordsFilter(
        method="filter_q", help_text="Words of the name or short name, with or without diacritics."
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
        responses=listed_responses(AdministrativeUnitSerializer),
    ),
    retrieve=extend_schema(
        summary="One administrative unit",
        responses=detail_responses(AdministrativeUnitSerializer),
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
        responses=listed_responses(AgencySerializer),
    ),
    retrieve=extend_schema(summary="One agency", responses=detail_responses(AgencySerializer)),
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
