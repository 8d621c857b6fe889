from django import forms

from agencies.models import AdministrativeUnit, Role
from agencies.names import vietnamese_sort_key
from agencies.selectors import communes_of
from dashboards.selectors import filter_choices
from petitions.forms import SubmitForm
from recommendations.forms import MeetingForm
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

NAMES = [
    "Xã Xuân Giang",
    "Phường Đông Sơn",
    "Xã Bình An",
    "Đặc khu Côn Đảo",
    "Xã Ân Thi",
    "Phường Dương Nội",
    "Thị trấn Ea Súp",
    "Xã An Hòa",
    "Xã Ê Ban",
    "Xã Ea Kar",
]
ORDER = [
    "Xã An Hòa",
    "Xã Ân Thi",
    "Xã Bình An",
    "Đặc khu Côn Đảo",
    "Phường Dương Nội",
    "Phường Đông Sơn",
    "Xã Ea Kar",
    "Thị trấn Ea Súp",
    "Xã Ê Ban",
    "Xã Xuân Giang",
]


def test_vietnamese_sort_key_orders_names_as_dictionaries_do() -> None:
    assert sorted(NAMES, key=vietnamese_sort_key) == ORDER


def test_type_prefixes_are_ignored_and_case_does_not_matter() -> None:
    assert vietnamese_sort_key("Tỉnh Bắc Ninh") < vietnamese_sort_key("Thành phố Cần Thơ")
    assert vietnamese_sort_key("thành phố Hà Nội") < vietnamese_sort_key("Tỉnh Lạng Sơn")
    assert vietnamese_sort_key("Xã Đa") > vietnamese_sort_key("Xã Dz")
    assert (
        vietnamese_sort_key("Xã Ba") < vietnamese_sort_key("Xã Bá") < vietnamese_sort_key("Xã Bă")
    )


def _commune_choices(field: forms.BoundField) -> list[str]:
    return [str(label) for value, label in field.field.choices if value]


def test_commune_lists_of_forms_and_filters_are_in_vietnamese_order(db) -> None:
    province = ProvinceFactory()
    agency = AgencyFactory(unit=province)
    for name in ["Xã Xuân Giang", "Xã Bình An", "Phường Đông Sơn", "Xã Ân Thi"]:
        CommuneFactory(parent=province, name=name)
    expected = ["Xã Ân Thi", "Xã Bình An", "Phường Đông Sơn", "Xã Xuân Giang"]
    assert _commune_choices(SubmitForm()["commune"]) == expected
    meeting = MeetingForm(communes=communes_of(province.pk))
    assert _commune_choices(meeting["commune"]) == expected
    monitor = member(Role.MONITOR, agency, username="giamsat")
    assert [c.name for c in filter_choices(monitor).communes] == expected
    assert AdministrativeUnit.objects.count() == 5
