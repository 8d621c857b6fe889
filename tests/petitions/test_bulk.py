"""Issue 14, item 10: bulk actions in the petition inbox — each row through the same
move as the case page, each its own event, refusals per row with the reason."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Role
from agencies.scope import forget_scope
from casework.bulk import MAX_ROWS, SUMMARY_SESSION_KEY
from petitions import services
from petitions.models import Petition, PetitionEvent, Status
from tests.factories import MembershipFactory, member, submit_petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(agency):
    return [
        submit_petition(agency=agency, subject=f"Đường thôn {n} xuống cấp").petition
        for n in ("Đông", "Tây", "Nam")
    ]


def _start(client, action, ids=(), **extra):
    data = {"action": action, "ids": [str(i) for i in ids], "query": "", **extra}
    return client.post(reverse("petitions:bulk"), data)


def _tokens(response) -> list[str]:
    return re.findall(r'name="row" value="([^"]+)"', response.content.decode())


def _apply(client, action, tokens, **data):
    return client.post(
        reverse("petitions:bulk"),
        {"action": action, "step": "apply", "query": "", "row": tokens, **data},
    )


def _summary(client):
    return client.session[SUMMARY_SESSION_KEY]["results"]


def test_a_lead_assigns_three_ticked_petitions_each_with_its_own_event(
    client, agency, lead, handler, three
):
    client.force_login(lead)
    confirm = _start(client, "assign", [p.pk for p in three])
    assert confirm.status_code == 200
    tokens = _tokens(confirm)
    assert len(tokens) == 3
    done = _apply(client, "assign", tokens, handler=handler.pk)
    assert done.status_code == 302 and done["Location"] == reverse("petitions:bulk_done")
    for petition in three:
        petition.refresh_from_db()
        assert petition.assigned_to == handler
        assert PetitionEvent.objects.filter(petition=petition, action="assign").count() == 1
    page = client.get(done["Location"]).content.decode()
    assert all(p.reference in page for p in three)
    assert 'id="bulk-refused"' not in page
    # A reload shows the summary again and runs nothing twice.
    client.get(done["Location"])
    assert PetitionEvent.objects.filter(action="assign").count() == 3


def test_all_that_match_the_filter_works_without_ticking_anything(
    client, agency, lead, handler, three
):
    client.force_login(lead)
    # Without diacritics, as officials type: only "Đường thôn Tây" matches.
    confirm = _start(client, "assign", selection="all", query="q=thon+tay")
    tokens = _tokens(confirm)
    assert [t.split("@")[0] for t in tokens] == [str(three[1].pk)]
    _apply(client, "assign", tokens, handler=handler.pk)
    assigned = set(Petition.objects.filter(assigned_to=handler).values_list("pk", flat=True))
    assert assigned == {three[1].pk}


def test_a_row_changed_by_someone_else_since_it_was_listed_is_refused_alone(
    client, agency, lead, handler, three
):
    client.force_login(lead)
    tokens = _tokens(_start(client, "note", [p.pk for p in three]))
    # Another official accepts the second one meanwhile.
    other = member(Role.LEAD, agency, username="lanhdao2")
    services.petition_accept(petition=three[1], actor=other)
    _apply(client, "note", tokens, note="Đã gọi điện cho công dân")
    results = {r["pk"]: r for r in _summary(client)}
    assert results[three[0].pk]["ok"] and results[three[2].pk]["ok"]
    assert not results[three[1].pk]["ok"]
    assert results[three[1].pk]["message"]  # the conflict's own sentence
    notes = PetitionEvent.objects.filter(action="note")
    assert sorted(notes.values_list("petition_id", flat=True)) == sorted([three[0].pk, three[2].pk])
    assert not notes.filter(is_public=True).exists()


def test_rights_are_checked_row_by_row_in_each_rows_agency(
    client, agency, other_agency, lead, handler
):
    # The lead of one agency is only a handler in another: assignments there are refused.
    MembershipFactory(user=lead, agency=other_agency, role=Role.HANDLER)
    forget_scope(lead)
    mine = submit_petition(agency=agency).petition
    theirs = submit_petition(agency=other_agency).petition
    client.force_login(lead)
    tokens = _tokens(_start(client, "assign", [mine.pk, theirs.pk]))
    assert len(tokens) == 2
    _apply(client, "assign", tokens, handler=handler.pk)
    results = {r["pk"]: r for r in _summary(client)}
    assert results[mine.pk]["ok"] and not results[theirs.pk]["ok"]
    theirs.refresh_from_db()
    assert theirs.assigned_to is None
    assert not PetitionEvent.objects.filter(petition=theirs, action="assign").exists()


def test_rows_outside_the_officials_scope_are_never_listed_nor_changed(
    client, agency, other_agency, lead, handler
):
    mine = submit_petition(agency=agency).petition
    foreign = submit_petition(agency=other_agency).petition
    client.force_login(lead)
    tokens = _tokens(_start(client, "note", [mine.pk, foreign.pk]))
    assert [t.split("@")[0] for t in tokens] == [str(mine.pk)]
    # A forged row token for the foreign case is refused as not found.
    _apply(
        client,
        "note",
        [*tokens, f"{foreign.pk}@x", "garbage", "99999999999999999999@"],
        note="Ghi chú",
    )
    results = {r["pk"]: r for r in _summary(client)}
    assert results[mine.pk]["ok"] and not results[foreign.pk]["ok"]
    assert not PetitionEvent.objects.filter(petition=foreign, action="note").exists()


def test_bulk_transfer_opens_a_case_at_the_receiver_and_refuses_an_accepted_one(
    client, agency, other_agency, lead, three
):
    services.petition_accept(petition=three[2], actor=lead)
    client.force_login(lead)
    tokens = _tokens(_start(client, "transfer", [p.pk for p in three]))
    _apply(client, "transfer", tokens, to_agency=other_agency.pk, note="Không thuộc thẩm quyền")
    results = {r["pk"]: r for r in _summary(client)}
    assert results[three[0].pk]["ok"] and results[three[1].pk]["ok"]
    assert not results[three[2].pk]["ok"]
    assert Petition.objects.filter(handling_agency=other_agency).count() == 2
    assert Petition.objects.get(pk=three[2].pk).status == Status.ACCEPTED


def test_an_invalid_input_shows_the_form_again_and_changes_nothing(client, agency, lead, three):
    client.force_login(lead)
    tokens = _tokens(_start(client, "assign", [p.pk for p in three]))
    response = _apply(client, "assign", tokens, handler="")
    assert response.status_code == 400
    assert len(_tokens(response)) == 3
    assert not PetitionEvent.objects.filter(action="assign").exists()


def test_nothing_ticked_or_an_unknown_action_returns_to_the_inbox(client, agency, lead, three):
    client.force_login(lead)
    for response in (_start(client, "assign"), _start(client, "<script>", [three[0].pk])):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("petitions:inbox"))
    assert PetitionEvent.objects.exclude(action="submit").count() == 0


def test_a_handler_is_not_offered_assignment_and_cannot_post_it(client, agency, handler, three):
    client.force_login(handler)
    inbox = client.get(reverse("petitions:inbox")).content.decode()
    assert 'value="note"' in inbox and 'value="assign"' not in inbox
    response = _start(client, "assign", [three[0].pk])
    assert response.status_code == 302
    assert not PetitionEvent.objects.filter(action="assign").exists()


def test_too_many_rows_at_once_are_refused_before_anything_runs(client, agency, lead, monkeypatch):
    import petitions.bulk

    monkeypatch.setattr(petitions.bulk, "MAX_ROWS", 2)
    for _ in range(3):
        submit_petition(agency=agency)
    client.force_login(lead)
    response = _start(client, "note", selection="all")
    assert response.status_code == 302
    assert PetitionEvent.objects.exclude(action="submit").count() == 0
    assert MAX_ROWS == 200


def test_the_inbox_has_labelled_checkboxes_and_the_select_all_script(client, agency, lead, three):
    client.force_login(lead)
    body = client.get(reverse("petitions:inbox")).content.decode()
    for p in three:
        assert f'id="bulk-pick-{p.pk}"' in body
        assert f'<label class="visually-hidden" for="bulk-pick-{p.pk}">' in body
    assert 'data-bulk-all="bulk-form" hidden' in body
    assert "js/bulk.js" in body
    assert 'name="selection" value="all"' in body


def test_the_inbox_query_count_is_unchanged_by_the_bulk_form(
    client, agency, handler, django_assert_num_queries
):
    for _ in range(3):
        submit_petition(agency=agency)
    client.force_login(handler)
    forget_scope(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 count, 5 the bell's unread count,
    # 6 page of petitions with agency, commune and handler joined.
    with django_assert_num_queries(6):
        client.get(reverse("petitions:inbox"))


def test_the_selection_exports_to_excel_with_formulas_neutralised_and_denouncers_masked(
    client, agency, lead
):
    formula = submit_petition(agency=agency, subject='=HYPERLINK("http://x")').petition
    denunciation = submit_petition(agency=agency, kind="denunciation", name="Lê Văn Tố").petition
    client.force_login(lead)
    response = _start(client, "export", [formula.pk, denunciation.pk])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="don-thu-')
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3
    cells = [str(c) for row in rows for c in row if c is not None]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "Lê Văn Tố" not in " ".join(cells)
    assert not PetitionEvent.objects.exclude(action="submit").exists()


def test_the_confirmation_and_the_summary_cost_the_same_queries_whatever_the_rows(
    client, agency, lead, handler
):
    client.force_login(lead)

    def cost(n: int) -> tuple[int, int]:
        rows = [submit_petition(agency=agency).petition for _ in range(n)]
        forget_scope(lead)
        # The log keeps its last 9,000 queries: start it afresh before each count.
        reset_queries()
        with CaptureQueriesContext(connection) as confirm:
            response = _start(client, "note", [p.pk for p in rows])
        tokens = _tokens(response)
        _apply(client, "note", tokens, note="Đã xác minh")
        reset_queries()
        with CaptureQueriesContext(connection) as summary:
            client.get(reverse("petitions:bulk_done"))
        return len(confirm.captured_queries), len(summary.captured_queries)

    assert cost(2) == cost(6)


@pytest.mark.parametrize(
    "data",
    [
        {"action": "assign", "ids": ["-1", "1e9", "٣", "99999999999999999999999"]},
        {"action": "note", "selection": "all", "query": "agency=abc&commune=-5&phase=<x>&q=%"},
        {"action": "transfer", "step": "apply", "row": ["1@", "@", "x@y"], "to_agency": "zz"},
        {"action": "assign", "step": "apply", "row": [], "handler": "1"},
        {"action": "export", "selection": "all", "query": "&" * 3000},
    ],
)
def test_garbage_is_refused_calmly_and_changes_nothing(client, agency, lead, three, data):
    client.force_login(lead)
    response = client.post(reverse("petitions:bulk"), data)
    assert response.status_code in (200, 302, 400)
    assert PetitionEvent.objects.exclude(action="submit").count() == 0
