"""Two-factor authentication (issue 16, item 9): leads, monitors and administrators
type a code from an authenticator app after their password; until they do, their
session reaches no staff page, API call, export or admin page.

These tests ask for `real_two_factor`, so `force_login` is only the password here
(tests/conftest.py otherwise lets it stand in for the code too)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from agencies.models import Role
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, member
from twofactor import demo, policy
from twofactor.models import TwoFactorEvent

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def real_two_factor():
    """Leave Client.force_login / login as the password alone (tests/conftest.py)."""


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Nông nghiệp và Môi trường", unit=ProvinceFactory())


@pytest.fixture
def lead(agency):
    return member(Role.LEAD, agency, username="lanhdao")


@pytest.fixture
def handler(agency):
    return member(Role.HANDLER, agency, username="xuly")


@pytest.fixture
def monitor(agency):
    return member(Role.MONITOR, AgencyFactory(unit=agency.unit), username="giamsat")


def code_for(device: TOTPDevice) -> str:
    """The code the user's app shows now (the next one if now's was already used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def password_login(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _wipe_throttle(device: TOTPDevice) -> None:
    # django-otp's own back-off (1, 2, 4… s after each wrong code) on top of ours.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)


# --- who must ----------------------------------------------------------------------


def test_the_roles_that_can_reveal_or_read_a_province_must_and_the_others_may(
    real_two_factor, agency, lead, handler, monitor
):
    council = member(Role.COUNCIL_STAFF, agency, username="hdnd")
    admin = member(Role.ADMIN, agency, username="quantri")
    superuser = UserFactory(username="root", is_superuser=True)
    assert policy.required_for(lead)
    assert policy.required_for(monitor)
    assert policy.required_for(admin)
    assert policy.required_for(superuser)
    assert not policy.required_for(handler)
    assert not policy.required_for(council)


# --- enrolment -----------------------------------------------------------------------


def test_a_lead_enrols_with_the_qr_code_or_the_key_and_sees_recovery_codes_once(
    real_two_factor, client, lead
):
    password_login(client, lead)
    response = client.get(reverse("agencies:staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:enrol"))

    page = client.get(reverse("twofactor:enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    key = page.context["key"].replace(" ", "")
    assert len(key) == 32 and key in html.replace(" ", "")
    # a reload shows the same key: the phone that scanned it stays valid
    assert client.get(reverse("twofactor:enrol")).context["key"] == page.context["key"]

    wrong = client.post(reverse("twofactor:enrol"), {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    _wipe_throttle(device)

    response = client.post(reverse("twofactor:enrol"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("twofactor:recovery_codes")
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    # shown once
    again = client.get(reverse("twofactor:recovery_codes"))
    assert again.status_code == 302 and again["Location"] == reverse("twofactor:security")
    assert client.get(reverse("agencies:staff_home")).status_code == 200
    assert TwoFactorEvent.objects.filter(user=lead, kind="enrolled").count() == 1


def test_a_lead_with_a_device_cannot_enrol_another_before_typing_its_code(
    real_two_factor, client, lead
):
    enrolled(lead)
    password_login(client, lead)
    response = client.get(reverse("twofactor:enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify"))
    assert not TOTPDevice.objects.filter(user=lead, confirmed=False).exists()


def test_a_handler_is_not_asked_but_may_opt_in_and_is_asked_from_then_on(
    real_two_factor, client, handler
):
    password_login(client, handler)
    assert client.get(reverse("agencies:staff_home")).status_code == 200
    client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=handler)
    assert client.post(reverse("twofactor:enrol"), {"code": code_for(device)}).status_code == 302
    client.post(reverse("logout"))

    password_login(client, handler)
    response = client.get(reverse("agencies:staff_home"))
    assert response["Location"].startswith(reverse("twofactor:verify"))


# --- the code at login -----------------------------------------------------------------


def test_a_wrong_code_is_refused_and_the_right_one_leads_to_the_page_asked_for(
    real_two_factor, client, lead
):
    device = enrolled(lead)
    password_login(client, lead)
    target = reverse("petitions:inbox")
    asked = client.get(target)
    assert asked["Location"] == reverse("twofactor:verify") + "?next=%2Fstaff%2Fpetitions%2F"

    wrong = client.post(asked["Location"], {"code": "123456", "next": target})
    assert wrong.status_code == 200
    assert "không đúng" in wrong.content.decode()
    assert client.get(target).status_code == 302
    _wipe_throttle(device)

    # typed with a space and full-width digits, as phones sometimes send it
    code = code_for(device)
    typed = code[:3] + " " + "".join(chr(ord(d) + 0xFEE0) for d in code[3:])
    right = client.post(reverse("twofactor:verify"), {"code": typed, "next": target})
    assert right.status_code == 302 and right["Location"] == target
    assert client.get(target).status_code == 200


def test_a_code_is_never_accepted_twice(real_two_factor, client, lead):
    device = enrolled(lead)
    password_login(client, lead)
    code = code_for(device)
    assert client.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_login(client, lead)
    again = client.post(reverse("twofactor:verify"), {"code": code})
    assert again.status_code == 200
    assert client.get(reverse("agencies:staff_home")).status_code == 302


def test_the_next_page_must_be_on_this_site(real_two_factor, client, lead):
    device = enrolled(lead)
    password_login(client, lead)
    response = client.post(
        reverse("twofactor:verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("agencies:staff_home")


def test_a_recovery_code_works_once(real_two_factor, client, lead):
    enrolled(lead)
    password_login(client, lead)
    client.get(reverse("twofactor:verify"))
    from twofactor.services import new_recovery_codes

    codes = new_recovery_codes(lead)
    response = client.post(reverse("twofactor:verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("agencies:staff_home")).status_code == 200
    assert StaticToken.objects.filter(device__user=lead).count() == 9
    assert TwoFactorEvent.objects.filter(user=lead, kind="recovery_used").count() == 1

    client.post(reverse("logout"))
    password_login(client, lead)
    again = client.post(reverse("twofactor:verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert client.get(reverse("agencies:staff_home")).status_code == 302


def test_wrong_codes_are_limited_per_user_and_hour(real_two_factor, client, lead, settings):
    device = enrolled(lead)
    password_login(client, lead)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        _wipe_throttle(device)
        assert client.post(reverse("twofactor:verify"), {"code": "000000"}).status_code == 200
    _wipe_throttle(device)
    refused = client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Quá nhiều" in refused.content.decode()
    assert client.get(reverse("agencies:staff_home")).status_code == 302
    # from another browser too: the allowance is the user's
    other = Client()
    password_login(other, lead)
    assert other.post(reverse("twofactor:verify"), {"code": code_for(device)}).status_code == 429


def test_django_otp_backs_off_after_a_wrong_code(real_two_factor, client, lead):
    device = enrolled(lead)
    password_login(client, lead)
    client.post(reverse("twofactor:verify"), {"code": "000000"})
    at_once = client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    assert at_once.status_code == 200
    assert "Hãy đợi" in at_once.content.decode()


# --- nothing before the code -------------------------------------------------------------


STAFF_PAGES = [
    "agencies:staff_home",
    "petitions:inbox",
    "recommendations:inbox",
    "dashboards:dashboard",
    "dashboards:export_xlsx",
    "dashboards:export_csv",
    "notifications:list",
    "twofactor:security",
    "admin:index",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("role", ["lead", "monitor", "superuser"])
def test_before_the_code_no_staff_page_export_or_admin_opens(
    real_two_factor, client, request, name, role
):
    if role == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify") + "?next=")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/petitions/",
        "/api/v1/recommendations/",
        "/api/v1/agencies/",
        "/api/v1/stats/summary/",
    ],
)
def test_before_the_code_the_api_refuses_the_session(real_two_factor, client, lead, url):
    client.force_login(lead)
    response = client.get(url)
    assert response.status_code == 403
    assert "xác thực" in response.json()["detail"]
    assert client.post(url, {}, content_type="application/json").status_code == 403


def test_a_post_before_the_code_changes_nothing_and_goes_to_the_code_page(
    real_two_factor, client, lead
):
    client.force_login(lead)
    response = client.post(reverse("twofactor:new_codes"))
    assert response.status_code == 302
    assert response["Location"] == reverse("twofactor:verify")
    assert not StaticToken.objects.exists()


def test_after_the_code_the_api_answers(real_two_factor, client, lead):
    device = enrolled(lead)
    password_login(client, lead)
    client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    assert client.get("/api/v1/petitions/").status_code == 200


def test_a_token_goes_to_drf_without_the_session(real_two_factor, client, lead):
    # tokens come from the admin (behind the code) or the server's console
    token = Token.objects.create(user=lead)
    response = client.get("/api/v1/petitions/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    bad = client.get("/api/v1/petitions/", HTTP_AUTHORIZATION="Token nope")
    assert bad.status_code == 401


def test_public_pages_and_logout_stay_open_before_the_code(real_two_factor, client, lead):
    client.force_login(lead)
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 200  # logged out now


def test_a_handler_made_lead_is_asked_once_the_recheck_is_due(
    real_two_factor, client, handler, agency, settings
):
    client.force_login(handler)
    assert client.get(reverse("agencies:staff_home")).status_code == 200
    member_row = handler.memberships.get()
    member_row.role = Role.LEAD
    member_row.save()
    settings.TWO_FACTOR_RECHECK_SECONDS = 0
    response = client.get(reverse("agencies:staff_home"))
    assert response["Location"].startswith(reverse("twofactor:verify"))


def test_the_gate_adds_no_query_to_a_verified_request(client, lead, django_assert_max_num_queries):
    # force_login here stands in for the code (tests/conftest.py): verified
    client.force_login(lead)
    client.get(reverse("agencies:staff_home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("agencies:staff_home"))
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]


# --- the security page and resets ----------------------------------------------------------


def test_the_security_page_makes_new_recovery_codes(client, lead):
    client.force_login(lead)  # verified (tests/conftest.py)
    page = client.get(reverse("twofactor:security"))
    assert page.status_code == 200
    response = client.post(reverse("twofactor:new_codes"))
    assert response["Location"] == reverse("twofactor:recovery_codes")
    assert len(client.get(response["Location"]).context["codes"]) == 10
    assert TwoFactorEvent.objects.filter(user=lead, kind="new_codes").exists()


def test_a_lead_resets_a_colleague_who_lost_the_phone_and_it_is_recorded(client, lead, agency):
    colleague = member(Role.HANDLER, agency, username="xuly2")
    enrolled(colleague)
    theirs = Client()
    theirs.force_login(colleague)
    assert theirs.get(reverse("agencies:staff_home")).status_code == 200

    client.force_login(lead)
    listing = client.get(reverse("twofactor:colleagues"))
    assert listing.status_code == 200
    assert "xuly2" in listing.content.decode()
    url = reverse("twofactor:reset", args=[colleague.pk])
    assert client.get(url).status_code == 200
    blank = client.post(url, {"reason": ""})
    assert blank.status_code == 200 and blank.context["form"].errors["reason"]
    assert TOTPDevice.objects.filter(user=colleague).exists()

    response = client.post(url, {"reason": "Mất điện thoại, đã xác minh trực tiếp"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    event = TwoFactorEvent.objects.get(user=colleague, kind="reset")
    assert event.actor == lead and "xác minh" in event.reason
    # the colleague was logged out everywhere
    assert theirs.get(reverse("agencies:staff_home")).status_code == 302


def test_a_lead_resets_no_one_outside_their_agency_and_a_handler_no_one(
    client, lead, handler, monitor
):
    outsider = member(Role.HANDLER, AgencyFactory(), username="khac")
    client.force_login(lead)
    assert client.get(reverse("twofactor:reset", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("twofactor:reset", args=[monitor.pk])).status_code == 404
    assert client.get(reverse("twofactor:reset", args=[lead.pk])).status_code == 404
    assert client.get(reverse("twofactor:reset", args=[2**70])).status_code == 404
    assert "khac" not in client.get(reverse("twofactor:colleagues")).content.decode()

    client.force_login(handler)
    assert client.get(reverse("twofactor:colleagues")).status_code == 404
    assert (
        client.post(reverse("twofactor:reset", args=[lead.pk]), {"reason": "x"}).status_code == 404
    )
    assert TOTPDevice.objects.filter(user=lead).exists()


def test_an_administrator_resets_a_lead_of_the_province(client, lead, agency):
    admin = member(Role.ADMIN, AgencyFactory(unit=agency.unit), username="quantri")
    client.force_login(admin)
    response = client.post(reverse("twofactor:reset", args=[lead.pk]), {"reason": "Đổi máy"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()


def test_the_console_command_resets_with_an_audit_row(real_two_factor, lead, capsys):
    enrolled(lead)
    call_command("reset_two_factor", "lanhdao", reason="Quản trị duy nhất mất máy")
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert TwoFactorEvent.objects.get(user=lead, kind="reset").actor is None
    assert "lanhdao" in capsys.readouterr().out


def test_the_pages_are_vietnamese_and_printable(real_two_factor, client, lead):
    client.force_login(lead)
    page = client.get(reverse("twofactor:enrol")).content.decode()
    assert "Thiết lập xác thực hai lớp" in page
    assert 'name="viewport"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
    assert " style=" not in page


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_gives_the_guarded_accounts_its_published_key(real_two_factor, lead, handler):
    assert demo.seed(["lanhdao", "xuly"]) == ["lanhdao"]
    device = TOTPDevice.objects.get(user=lead)
    assert device.bin_key == demo.DEMO_KEY
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert demo.seed(["lanhdao"]) == ["lanhdao"]
    assert TOTPDevice.objects.filter(user=lead).count() == 1


def test_the_admin_shows_the_audit_but_no_one_s_device_or_key(client):
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert admin.site.is_registered(TwoFactorEvent)


def test_the_staff_home_links_to_account_security(client, handler):
    client.force_login(handler)
    page = client.get(reverse("agencies:staff_home")).content.decode()
    assert reverse("twofactor:security") in page


def test_the_admin_login_page_leads_to_the_code_too(real_two_factor, client, agency):
    admin_user = member(Role.ADMIN, agency, username="quantri", is_staff=True)
    device = enrolled(admin_user)
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "quantri", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    asked = client.get("/admin/")
    assert asked["Location"] == reverse("twofactor:verify") + "?next=%2Fadmin%2F"
    done = client.post(asked["Location"], {"code": code_for(device), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
