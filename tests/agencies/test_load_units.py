import pytest
from django.core.management import call_command

from agencies.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_load_units_creates_34_provinces_and_3321_communes_once():
    call_command("load_units", stdout=open("/dev/null", "w"))  # noqa: SIM115
    provinces = AdministrativeUnit.objects.filter(level="province")
    communes = AdministrativeUnit.objects.filter(level="commune")
    assert provinces.count() == 34
    assert communes.count() == 3321
    assert communes.filter(kind="dac_khu").count() == 13
    ids = set(AdministrativeUnit.objects.values_list("pk", flat=True))
    call_command("load_units", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(AdministrativeUnit.objects.values_list("pk", flat=True)) == ids
    hanoi = provinces.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    assert communes.get(name="Phường Hoàn Kiếm").parent == hanoi
