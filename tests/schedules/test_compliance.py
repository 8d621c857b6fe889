"""The figure of leaders' reception days against the legal minimum, on a fixed dataset
whose every number is computed by hand."""

from datetime import date, time

import pytest

from agencies.models import Role
from agencies.scope import forget_scope
from casework import timekeeping
from schedules import selectors, services
from schedules.models import DayKind, Leader, LeaderKind, ReceptionMinimum
from tests.factories import AgencyFactory, member
from tests.schedules.conftest import at

pytestmark = pytest.mark.django_db


def _held(officer, agency, leader, day, *, delegated=False, kind=DayKind.REGULAR, held=True):
    with timekeeping.as_of(day):
        planned = services.day_plan(
            actor=officer,
            agency=agency,
            plan=services.DayPlan(
                leader=leader,
                kind=kind,
                date=day,
                starts_at=time(13, 30),
                ends_at=time(17, 0),
                place="UBND xã",
                reason="Đông người" if kind == DayKind.AD_HOC else "",
            ),
        )
        services.day_publish(day=planned, actor=officer)
        if delegated:
            services.day_delegate(
                day=planned,
                actor=officer,
                delegate_name="Phó Chủ tịch A",
                delegate_title="Phó Chủ tịch",
            )
        if held:
            services.day_hold(day=planned, actor=officer)
        else:
            services.day_miss(day=planned, actor=officer)


@pytest.fixture
def commune_setup(province):
    commune = AgencyFactory(unit=province, name="UBND xã Gia Viễn", kind="ubnd")
    officer = member(Role.RECEPTION_OFFICER, commune, username="tiepdan.xa")
    chairman = Leader.objects.create(
        agency=commune,
        name="Đinh Công Sơn",
        title="Chủ tịch UBND xã",
        kind=LeaderKind.COMMUNE_CHAIRMAN,
    )
    return commune, officer, chairman


def test_the_rules_are_seeded_as_data_with_their_legal_basis():
    rows = {
        (r.leader_kind, r.effective_from): (r.days, r.period)
        for r in ReceptionMinimum.objects.all()
    }
    assert rows[(LeaderKind.COMMUNE_CHAIRMAN, date(2014, 7, 1))] == (1, "week")
    assert rows[(LeaderKind.COMMUNE_CHAIRMAN, date(2026, 7, 1))] == (2, "month")
    assert rows[(LeaderKind.PROVINCIAL_CHAIRMAN, date(2014, 7, 1))] == (1, "month")
    assert rows[(LeaderKind.AGENCY_HEAD, date(2014, 7, 1))] == (1, "month")
    assert rows[(LeaderKind.COUNCIL_DEPUTY, date(2014, 7, 1))] == (None, "arranged")
    assert all(r.legal_basis for r in ReceptionMinimum.objects.all())


def test_a_commune_chairman_owes_a_day_a_week_until_june_and_two_a_month_from_july(
    commune_setup,
):
    commune, officer, chairman = commune_setup
    with at(2026, 6, 1):
        # June 2026: Thursdays 4, 11, 18, 25 → 4 weeks → 4 days required. Held: 3 in
        # person, 1 delegated (not counted).
        for day in (date(2026, 6, 5), date(2026, 6, 12), date(2026, 6, 19)):
            _held(officer, commune, chairman, day)
        _held(officer, commune, chairman, date(2026, 6, 26), delegated=True)
    with at(2026, 7, 1):
        # July 2026: 2 required (Luật 136/2025). Held 2 in person, 1 ad-hoc, 1 not held.
        _held(officer, commune, chairman, date(2026, 7, 10))
        _held(officer, commune, chairman, date(2026, 7, 24))
        _held(officer, commune, chairman, date(2026, 7, 15), kind=DayKind.AD_HOC)
        _held(officer, commune, chairman, date(2026, 7, 31), held=False)
    with at(2026, 8, 1):
        # August 2026: 2 required, 1 held.
        _held(officer, commune, chairman, date(2026, 8, 14))
    rows = selectors.compliance(officer, start=date(2026, 6, 1), end=date(2026, 8, 31))
    table = [(r.month, r.required, r.held, r.delegated, r.ad_hoc, r.not_held, r.met) for r in rows]
    assert table == [
        (date(2026, 6, 1), 4, 3, 1, 0, 0, False),
        (date(2026, 7, 1), 2, 2, 0, 1, 1, True),
        (date(2026, 8, 1), 2, 1, 0, 0, 0, False),
    ]
    assert "136/2025" in rows[1].legal_basis
    summary = selectors.compliance_summary(officer, start=date(2026, 6, 1), end=date(2026, 8, 31))
    assert (summary.leader_months, summary.met, summary.required, summary.held) == (3, 1, 8, 6)
    assert summary.rate == 33.3  # 1 of 3, rounded half up


def test_the_month_in_progress_cannot_fail_yet(commune_setup):
    _commune, officer, _chairman = commune_setup
    rows = selectors.compliance(officer, start=date(2026, 12, 1), end=date(2026, 12, 1))
    assert [(r.required, r.held, r.met, r.in_progress) for r in rows] == [(2, 0, False, True)]
    summary = selectors.compliance_summary(officer, start=date(2026, 12, 1), end=date(2026, 12, 1))
    assert summary.leader_months == 0 and summary.rate is None


def test_deputies_have_no_number_in_law(province, commune_setup):
    commune, officer, _chairman = commune_setup
    Leader.objects.create(
        agency=commune, name="Đại biểu B", title="Đại biểu HĐND xã", kind=LeaderKind.COUNCIL_DEPUTY
    )
    rows = [
        r
        for r in selectors.compliance(officer, start=date(2026, 11, 1), end=date(2026, 11, 30))
        if r.kind == LeaderKind.COUNCIL_DEPUTY
    ]
    assert [(r.required, r.met) for r in rows] == [(None, None)]


def test_the_figure_reads_only_the_leaders_in_scope(commune_setup, outsider):
    assert selectors.compliance(outsider, start=date(2026, 11, 1), end=date(2026, 11, 30)) == []


def test_the_figure_costs_the_same_queries_whatever_the_data(
    commune_setup, django_assert_num_queries
):
    commune, officer, chairman = commune_setup

    def run():
        # scope (memberships), leaders, rules, one aggregate of the days
        with django_assert_num_queries(4):
            selectors.compliance(officer, start=date(2026, 6, 1), end=date(2026, 11, 30))

    run()
    for n in range(4):
        Leader.objects.create(
            agency=commune, name=f"Lãnh đạo {n}", title="Phó", kind=LeaderKind.AGENCY_HEAD
        )
    with at(2026, 9, 1):
        for day in (date(2026, 9, 4), date(2026, 9, 11), date(2026, 10, 9)):
            _held(officer, commune, chairman, day)
    forget_scope(officer)
    run()


def test_the_dashboards_partial_shows_the_summary_to_readers_of_a_schedule(
    rf, commune_setup, outsider
):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    _commune, officer, _chairman = commune_setup
    request = rf.get("/")
    request.user = officer
    html = render_to_string("schedules/_dashboard_figures.html", {"request": request})
    assert 'id="reception-compliance"' in html
    request.user = AnonymousUser()
    assert "reception-compliance" not in render_to_string(
        "schedules/_dashboard_figures.html", {"request": request}
    )


def test_a_leader_owes_nothing_before_their_first_whole_month_in_office(commune_setup):
    _commune, officer, chairman = commune_setup
    chairman.serves_from = date(2026, 9, 15)
    chairman.save()
    rows = selectors.compliance(officer, start=date(2026, 8, 1), end=date(2026, 11, 30))
    assert [r.month for r in rows] == [date(2026, 10, 1), date(2026, 11, 1)]
