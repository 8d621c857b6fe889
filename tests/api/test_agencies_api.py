"""The directory API: agencies and administrative units, read-only and paginated."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from agencies.models import AdministrativeUnit
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

AGENCIES = "/api/v1/agencies/"
UNITS = "/api/v1/units/"


@pytest.fixture
def units():
    """The 34 provinces and 3,321 communes of the 2025 reform, from vietnam-provinces."""
    call_command("load_units", stdout=io.StringIO())
    return AdministrativeUnit.objects


def _names(api, url: str, **params) -> set[str]:
    response = api.get(url, params)
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


# --- agencies ----------------------------------------------------------------------------------


def test_the_agency_list_shows_active_agencies_with_their_unit_province_and_parent(
    api, handler, agency, other_agency, parent_agency, province
):
    closed = AgencyFactory(unit=province, name="Sở đã giải thể", is_active=False)
    api.force_login(handler)
    rows = {row["id"]: row for row in api.get(AGENCIES).json()["results"]}
    assert closed.pk not in rows
    row = rows[agency.pk]
    assert row["name"] == "Sở Nông nghiệp và Môi trường"
    assert row["parent"] == {"id": parent_agency.pk, "name": "Ủy ban nhân dân tỉnh"}
    assert row["unit"] == {"id": province.pk, "code": province.code, "name": province.name}
    assert row["province"]["id"] == province.pk
    assert (row["kind"], row["kind_display"]) == ("so", "Sở, ngành")
    assert api.get(f"{AGENCIES}{agency.pk}/").json()["id"] == agency.pk
    assert api.get(f"{AGENCIES}{closed.pk}/").status_code == 404


def test_agencies_filter_by_kind_unit_province_and_parent(
    api, handler, agency, other_agency, parent_agency, province
):
    commune = CommuneFactory(parent=province, name="Xã Gia Viễn")
    commune_committee = AgencyFactory(unit=commune, name="UBND xã Gia Viễn", kind="ubnd")
    elsewhere = AgencyFactory(name="Sở Xây dựng tỉnh khác")
    api.force_login(handler)
    assert _names(api, AGENCIES, kind="ubnd") == {"Ủy ban nhân dân tỉnh", "UBND xã Gia Viễn"}
    assert _names(api, AGENCIES, unit=commune.pk) == {commune_committee.name}
    assert elsewhere.name not in _names(api, AGENCIES, province=province.pk)
    assert commune_committee.name in _names(api, AGENCIES, province=province.pk)
    assert _names(api, AGENCIES, parent=parent_agency.pk) == {agency.name, other_agency.name}


@pytest.mark.parametrize(
    "query", ["nông nghiệp", "nong nghiep", "NONG NGHIEP", "Sở Nông", "so nong nghiep moi truong"]
)
def test_agencies_are_searched_by_name_with_or_without_diacritics(api, handler, agency, query):
    AgencyFactory(name="Sở Xây dựng")
    api.force_login(handler)
    assert _names(api, AGENCIES, q=query) == {"Sở Nông nghiệp và Môi trường"}


def test_agency_labels_follow_the_request_language(api, handler, parent_agency):
    api.force_login(handler)
    row = api.get(f"{AGENCIES}{parent_agency.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert row["kind_display"] == "People's Committee"


def test_the_agency_list_costs_the_same_queries_for_few_or_many_agencies(
    api, handler, province, django_assert_num_queries
):
    api.force_login(handler)
    # 1 session, 2 user, 3 count, 4 the page with unit, province and parent agency joined.
    with django_assert_num_queries(4):
        assert api.get(AGENCIES).status_code == 200
    parent = AgencyFactory(unit=province)
    for _ in range(40):
        AgencyFactory(unit=CommuneFactory(parent=province), parent=parent)
    with django_assert_num_queries(4):
        assert len(api.get(AGENCIES).json()["results"]) == 43


# --- administrative units -----------------------------------------------------------------------


def test_the_3355_units_come_a_page_at_a_time(api, handler, units):
    api.force_login(handler)
    first = api.get(UNITS).json()
    # the 3,355 loaded plus the test province of the handler's agency
    assert first["count"] == units.count() == 3356
    assert len(first["results"]) == 50 and first["next"].endswith("?page=2")
    assert len(api.get(UNITS, {"page_size": 1000}).json()["results"]) == 200
    last_page = (3356 + 49) // 50
    assert len(api.get(UNITS, {"page": last_page}).json()["results"]) == 6
    assert api.get(UNITS, {"page": last_page + 1}).status_code == 404


def test_units_filter_by_level_kind_parent_and_province(api, handler, units):
    api.force_login(handler)
    hanoi = units.get(level="province", code="01")
    assert api.get(UNITS, {"level": "province"}).json()["count"] == 34 + 1  # + the test one
    assert api.get(UNITS, {"kind": "dac_khu"}).json()["count"] == 13
    communes = api.get(UNITS, {"parent": hanoi.pk, "page_size": 200}).json()
    assert communes["count"] == units.filter(parent=hanoi).count() > 100
    assert {row["parent"]["id"] for row in communes["results"]} == {hanoi.pk}
    assert "Phường Hoàn Kiếm" in {row["name"] for row in communes["results"]}
    assert api.get(UNITS, {"province": hanoi.pk}).json()["count"] == communes["count"] + 1


@pytest.mark.parametrize("query", ["Hà Nội", "ha noi", "HA NOI", "thanh pho ha noi"])
def test_units_are_searched_with_or_without_diacritics(api, handler, units, query):
    api.force_login(handler)
    assert "Thành phố Hà Nội" in _names(api, UNITS, q=query, level="province")


@pytest.mark.parametrize("query", ["Hoàn Kiếm", "hoan kiem", "phuong hoan kiem"])
def test_a_ward_is_found_with_or_without_diacritics(api, handler, units, query):
    api.force_login(handler)
    assert _names(api, UNITS, q=query) == {"Phường Hoàn Kiếm"}


def test_the_unit_list_costs_the_same_queries_for_few_or_many_units(
    api, handler, django_assert_num_queries
):
    province = ProvinceFactory()
    api.force_login(handler)
    # 1 session, 2 user, 3 count, 4 the page with each commune's province joined.
    with django_assert_num_queries(4):
        assert api.get(UNITS).status_code == 200
    for _ in range(60):
        CommuneFactory(parent=province)
    with django_assert_num_queries(4):
        assert len(api.get(UNITS).json()["results"]) == 50


def test_a_unit_is_read_with_its_province(api, handler):
    commune = CommuneFactory(name="Xã Gia Viễn")
    api.force_login(handler)
    row = api.get(f"{UNITS}{commune.pk}/").json()
    assert (row["name"], row["level"], row["kind"]) == ("Xã Gia Viễn", "commune", "xa")
    assert row["parent"]["id"] == commune.parent_id
    assert api.get(f"{UNITS}999999/").status_code == 404


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (UNITS, {"parent": "abc"}),
        (UNITS, {"province": "1" * 30}),
        (UNITS, {"level": "district"}),
        (UNITS, {"q": "x" * 101}),
        (AGENCIES, {"unit": "-3"}),
        (AGENCIES, {"kind": "bộ"}),
        (AGENCIES, {"province": "1.5"}),
    ],
)
def test_bad_directory_filters_are_400_never_500(api, handler, url, params):
    api.force_login(handler)
    assert api.get(url, params).status_code == 400


def test_the_directory_is_read_only(api, handler, agency):
    api.force_login(handler)
    assert api.post(AGENCIES, {"name": "Sở mới"}, format="json").status_code == 405
    assert api.delete(f"{AGENCIES}{agency.pk}/").status_code == 405
    assert api.post(UNITS, {}, format="json").status_code == 405
