"""The desk's pages: who sees which register, the moves from the page, search with and
without diacritics, the receipt, the Excel export, and query counts constant in the
data."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reception import services
from reception.models import Status, Visit, VisitIdentityReveal
from tests.reception.conftest import at, delegation, register

pytestmark = pytest.mark.django_db

VISIT_FORM = {
    "visited_on": "2026-11-02",
    "place": "Trụ sở Tiếp công dân tỉnh",
    "receiver_kind": "leader",
    "receiver_name": "Phạm Quang Ngọc",
    "leader_in_person": "on",
    "name": "Đoàn Văn Hải",
    "id_number": "037011122233",
    "is_delegation": "on",
    "people_count": "15",
    "representatives": "Lê Thị Bình, 037087654321\nTrần Văn Cường",
    "classification": "complaint",
    "field": "land",
    "subject": "Khiếu nại bồi thường giải phóng mặt bằng",
    "content": "Các hộ dân thôn Đông không đồng ý mức bồi thường.",
}


def _login(client, user):
    client.force_login(user)
    return client


# --- who sees what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees", "acts"),
    [
        ("officer", True, True),
        ("lead", True, False),
        ("handler", True, False),
        ("monitor", True, False),
        ("other_officer", False, False),
    ],
)
def test_the_permission_matrix(request, client, officer, agency, who, sees, acts):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    user = request.getfixturevalue(who)
    _login(client, user)
    page = client.get(reverse("reception:detail", args=[visit.pk]))
    assert page.status_code == (200 if sees else 404)
    listed = client.get(reverse("reception:register"))
    if who == "other_officer":
        assert visit.reference not in listed.content.decode()
    else:
        assert visit.reference in listed.content.decode()
    posted = client.post(
        reverse("reception:action", args=[visit.pk, "explain"]), {"note": "Đã giải thích."}
    )
    visit.refresh_from_db()
    assert (visit.status == Status.EXPLAINED) is acts
    if not sees:
        assert posted.status_code == 404


def test_someone_without_a_register_finds_no_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("congdan"))
    assert client.get(reverse("reception:register")).status_code == 404
    assert client.get(reverse("reception:new")).status_code == 404


def test_a_sealed_identity_never_shows_in_the_register_the_page_or_the_export(
    client, officer, lead, monitor, agency
):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="denunciation")
    for user in (officer, lead, monitor):
        _login(client, user)
        for url in (
            reverse("reception:register"),
            reverse("reception:detail", args=[visit.pk]),
        ):
            assert "Nguyễn Văn An" not in client.get(url).content.decode()
        export = client.get(reverse("reception:register") + "?format=xlsx")
        sheet = load_workbook(BytesIO(export.content)).active
        assert not any(
            "Nguyễn Văn An" in str(cell.value) for row in sheet.iter_rows() for cell in row
        )
        api = client.get(reverse("api:visit-detail", args=[visit.pk]))
        assert api.status_code == 200 and "Nguyễn Văn An" not in api.content.decode()


def test_the_lead_reveals_a_sealed_identity_with_a_logged_reason(client, officer, lead, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="denunciation")
    _login(client, lead)
    page = client.post(
        reverse("reception:action", args=[visit.pk, "reveal"]), {"reason": "Xác minh"}
    )
    assert "Nguyễn Văn An" in page.content.decode()
    assert VisitIdentityReveal.objects.filter(user=lead).count() == 1


def test_a_monitor_cannot_reveal(client, officer, monitor, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="denunciation")
    _login(client, monitor)
    client.post(reverse("reception:action", args=[visit.pk, "reveal"]), {"reason": "x"})
    assert not VisitIdentityReveal.objects.exists()


# --- the desk's work -----------------------------------------------------------------


def test_an_officer_registers_a_delegation_from_the_form(client, officer, agency):
    _login(client, officer)
    with at(2026, 11, 2):
        response = client.post(reverse("reception:new"), {**VISIT_FORM, "agency": agency.pk})
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == visit.get_absolute_url()
    assert (visit.people_count, visit.representatives_count, visit.leader_in_person) == (
        15,
        3,
        True,
    )


def test_a_bad_form_says_why_in_place(client, officer, agency):
    _login(client, officer)
    with at(2026, 11, 2):
        response = client.post(
            reverse("reception:new"),
            {**VISIT_FORM, "agency": agency.pk, "people_count": "2", "id_number": "12ab"},
        )
    assert response.status_code == 400
    assert not Visit.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_page_turns_a_visit_into_a_petition_and_prints_the_receipt(client, officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    _login(client, officer)
    with at(2026, 11, 2):
        client.post(
            reverse("reception:action", args=[visit.pk, "take_petition"]),
            {"kind": "complaint", "documents": "Đơn khiếu nại (02 trang)\nBản sao QĐ 123"},
        )
    visit.refresh_from_db()
    assert visit.petition is not None
    page = client.get(visit.get_absolute_url()).content.decode()
    assert visit.petition.reference in page
    receipt = client.get(reverse("reception:receipt", args=[visit.pk])).content.decode()
    assert "Bản sao QĐ 123" in receipt and "16/11/2026" in receipt


def test_a_visit_without_documents_has_no_receipt(client, officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    _login(client, officer)
    assert client.get(reverse("reception:receipt", args=[visit.pk])).status_code == 404


def test_a_returning_citizen_is_recognised_on_the_page(client, officer, agency):
    with at(2026, 11, 2):
        first = register(officer, agency)
    with at(2026, 11, 9):
        again = register(officer, agency)
    _login(client, officer)
    page = client.get(again.get_absolute_url()).content.decode()
    assert first.reference in page and 'id="earlier"' in page
    client.post(reverse("reception:action", args=[again.pk, "same_matter"]), {"earlier": first.pk})
    again.refresh_from_db()
    assert again.matter == first


@pytest.mark.parametrize("q", ["Gia Viễn", "gia vien", "GIA VIEN", "nguyen van an"])
def test_the_register_searches_with_or_without_diacritics(client, officer, agency, commune, q):
    with at(2026, 11, 2):
        found = register(officer, agency, commune=commune)
        other = register(officer, agency, subject="Phản ánh ô nhiễm", visitor=found_visitor())
    _login(client, officer)
    page = client.get(reverse("reception:register"), {"q": q}).content.decode()
    assert found.reference in page
    assert other.reference not in page


def found_visitor():
    from reception.identity import Visitor

    return Visitor(name="Trần Thị Mai", id_number="037055566677")


def test_filters_that_mean_nothing_narrow_nothing(client, officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    _login(client, officer)
    page = client.get(
        reverse("reception:register"),
        {
            "status": "nonsense",
            "agency": "99999999999999999999",
            "start": "2026-99-99",
            "page": "x",
        },
    )
    assert page.status_code == 200 and visit.reference in page.content.decode()


def test_the_export_has_the_registers_columns(client, officer, agency):
    with at(2026, 11, 2):
        services.visit_register(actor=officer, details=delegation(agency))
        register(officer, agency, subject='=HYPERLINK("http://evil.example")')
    _login(client, officer)
    response = client.get(reverse("reception:register") + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[0] == "STT" or header[0]  # translated column titles
    assert len(header) == 10
    assert len(rows) == 5
    assert all(not str(cell).startswith("=") for row in rows for cell in row if cell)


def test_the_register_costs_the_same_queries_for_one_or_many_visits(
    client, officer, agency, django_assert_num_queries
):
    _login(client, officer)
    url = reverse("reception:register")
    for visits in (1, 12):
        with at(2026, 11, 3):
            while Visit.objects.count() < visits:
                services.visit_register(actor=officer, details=delegation(agency))
        # Session, user, memberships (the scope), the count, the bell's unread count, the
        # page of visits joined to their agency, commune, petition and matter.
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200


def test_the_visit_page_costs_the_same_queries_however_long_its_timeline(
    client, officer, agency, django_assert_num_queries
):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    _login(client, officer)
    for notes in (0, 5):
        with at(2026, 11, 2):
            for n in range(notes):
                services.visit_add_note(
                    visit=Visit.objects.get(pk=visit.pk), actor=officer, note=f"{n}"
                )
        # Session, user, memberships, the visit with its links, its events with their
        # actors and agencies, the citizen's earlier visits, the bell.
        with django_assert_num_queries(7):
            assert client.get(visit.get_absolute_url()).status_code == 200


def test_the_api_lists_visits_in_constant_queries_and_names_nobody(
    client, officer, agency, django_assert_num_queries
):
    with at(2026, 11, 2):
        for _ in range(3):
            services.visit_register(actor=officer, details=delegation(agency))
    client.force_login(officer)
    url = reverse("api:visit-list")
    client.get(url)
    # Session, user, memberships (the scope), the count, the page of visits joined to
    # their agency, commune, petition and matter.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.json()["count"] == 3
    assert "Nguyễn" not in response.content.decode()


def test_the_petition_page_links_back_to_its_visits(client, officer, lead, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(visit=visit, actor=officer)
    visit.refresh_from_db()
    client.force_login(lead)
    with at(2026, 11, 2):
        page = client.get(reverse("petitions:detail", args=[visit.petition.pk])).content.decode()
    assert 'id="reception-visits"' in page and visit.reference in page


def test_the_api_runs_the_same_moves_as_the_page(client, officer, lead, agency):
    from rest_framework.test import APIClient

    with at(2026, 11, 2):
        visit = register(officer, agency)
        api = APIClient()
        api.force_authenticate(lead)
        url = reverse("api:visit-take-petition", args=[visit.pk])
        assert api.post(url, {"kind": "complaint"}, format="json").status_code == 403
        api.force_authenticate(officer)
        bad = api.post(url, {"kind": "nonsense"}, format="json")
        assert bad.status_code == 400
        done = api.post(url, {"kind": "complaint", "documents": "Đơn"}, format="json")
        assert done.status_code == 200 and done.json()["status"] == "awaiting"
        assert done.json()["petition"].startswith("KN-")
        again = api.post(url, {"kind": "complaint"}, format="json")
        assert again.status_code == 409
    assert Visit.objects.get().petition is not None


def test_the_desk_sees_the_petitions_number_and_the_handlers_open_it(client, officer, lead, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(visit=visit, actor=officer)
        visit.refresh_from_db()
        petition_url = reverse("petitions:detail", args=[visit.petition.pk])
        for user, linked in ((officer, False), (lead, True)):
            client.force_login(user)
            page = client.get(visit.get_absolute_url()).content.decode()
            assert visit.petition.reference in page
            assert (petition_url in page) is linked
