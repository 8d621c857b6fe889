"""The public schedule, the citizen's booking pages and the reception office's pages.
Thin: read through the selectors (scope first), run moves through `moves`, render."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agencies.models import AdministrativeUnit, Agency, Field
from agencies.scope import Action, acting_agency_ids
from casework import timekeeping
from casework.actors import CITIZEN
from casework.pages import choice_param, int_param, page_of, query_without_page, run_form
from casework.throttle import allow, too_many

from . import exports, feeds, forms, moves, selectors, services
from .identity import Visitor, unseal
from .models import DayStatus, Leader, Mode, ReceptionDay
from .presentation import BOOKING_BADGES, BOOKING_LABELS, DAY_BADGES, DAY_LABELS, DONE

TRACK_SESSION_KEY = "tracked_bookings"
BOOKED_SESSION_KEY = "booked"
TRACKING_ATTEMPTS_PER_HOUR = 30
TOO_MANY = gettext_lazy(
    "Too many bookings have been sent from your connection in the last hour. "
    "Please try again later or call the reception office."
)
VISITOR_FIELDS = ("name", "id_number", "phone", "email", "address")
PUBLIC_PAGE_SIZE = 60


def _month(request: HttpRequest) -> date:
    """The month asked for (?thang=2026-12), or this month."""
    raw = request.GET.get("thang", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        wanted = date(year, month, 1)
    except ValueError:
        return timekeeping.today().replace(day=1)
    return wanted if 2000 <= wanted.year <= 2100 else timekeeping.today().replace(day=1)


def _neighbours(month: date) -> tuple[str, str]:
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = (month.replace(day=28) + date.resolution * 4).replace(day=1)
    return previous.strftime("%Y-%m"), following.strftime("%Y-%m")


# --- the public schedule ------------------------------------------------------------------


def schedule_index(request: HttpRequest) -> HttpResponse:
    provinces = list(selectors.provinces_with_schedule())
    if len(provinces) == 1:
        return redirect("schedules:province", code=provinces[0].code)
    return render(request, "schedules/index.html", {"provinces": provinces})


def _public_page(
    request: HttpRequest, *, province: AdministrativeUnit, agency: Agency | None
) -> HttpResponse:
    month = _month(request)
    start, end = selectors.month_bounds(month)
    days = selectors.public_days(
        start=start,
        end=end,
        province_id=province.pk,
        agency_id=agency.pk if agency else None,
    )
    # A province's month may hold hundreds of communes' days: a page of them at a time.
    page = page_of(request, days, PUBLIC_PAGE_SIZE)
    previous, following = _neighbours(month)
    return render(
        request,
        "schedules/public.html",
        {
            "province": province,
            "agency": agency,
            "month": month,
            "page": page,
            "days": page.object_list,
            "query": query_without_page(request.GET),
            "agencies": selectors.public_agencies(province.pk),
            "previous": previous,
            "following": following,
            "today": timekeeping.today(),
            "badges": DAY_BADGES,
        },
    )


def schedule_province(request: HttpRequest, code: str) -> HttpResponse:
    province = get_object_or_404(
        AdministrativeUnit, level=AdministrativeUnit.Level.PROVINCE, code=code
    )
    return _public_page(request, province=province, agency=None)


def schedule_agency(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("province"), pk=pk, is_active=True)
    return _public_page(request, province=agency.province, agency=agency)


def _feed(days: Any, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        feeds.calendar(days, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_window() -> tuple[date, date]:
    # Last month to three months ahead: what a subscribed calendar needs.
    today = timekeeping.today()
    start = (today.replace(day=1) - date.resolution).replace(day=1)
    end = today.replace(day=1)
    for _step in range(4):
        end = (end.replace(day=28) + date.resolution * 4).replace(day=1)
    return start, end - date.resolution


def feed_province(request: HttpRequest, code: str) -> HttpResponse:
    province = get_object_or_404(
        AdministrativeUnit, level=AdministrativeUnit.Level.PROVINCE, code=code
    )
    start, end = _feed_window()
    days = selectors.public_days(start=start, end=end, province_id=province.pk)
    name = _("Citizen reception schedule — %(place)s") % {"place": province.name}
    return _feed(days, name, f"lich-tiep-cong-dan-{province.code}.ics")


def feed_agency(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk, is_active=True)
    start, end = _feed_window()
    days = selectors.public_days(start=start, end=end, agency_id=agency.pk)
    name = _("Citizen reception schedule — %(place)s") % {"place": agency.name}
    return _feed(days, name, f"lich-tiep-cong-dan-co-quan-{agency.pk}.ics")


# --- the citizen's booking --------------------------------------------------------------


def _bookable(pk: int) -> ReceptionDay:
    day = selectors.open_days_by_pk(pk)
    if day is None:
        raise Http404
    return day


@sensitive_post_parameters(*VISITOR_FIELDS)
def book(request: HttpRequest, pk: int) -> HttpResponse:
    day = _bookable(pk)
    form = forms.BookingForm(request.POST or None, day=day)
    if request.method == "POST":
        # Counted before validating: a flood of bad posts is still a flood.
        if not allow(request, "booking-submit", _submission_limit()):
            form.add_error(None, str(TOO_MANY))
            return too_many(render(request, "schedules/book.html", {"form": form, "day": day}))
        ran = run_form(
            request,
            form,
            lambda data: services.booking_create(
                day=day,
                visitor=Visitor(**{name: data.get(name, "") for name in VISITOR_FIELDS}),
                field=data["field"],
                matter=data["matter"],
                mode=data.get("mode") or Mode.IN_PERSON,
            ),
        )
        if ran.ok and ran.result is not None:
            # The codes go through the session to the next page (never in its URL,
            # which proxies and browser histories keep).
            request.session[BOOKED_SESSION_KEY] = {
                "reference": ran.result.booking.reference,
                "code": ran.result.code,
            }
            _grant(request, ran.result.booking.pk)
            return redirect("schedules:booked")
    return render(
        request,
        "schedules/book.html",
        {"form": form, "day": day, "left": max(day.capacity - getattr(day, "taken", 0), 0)},
        status=400 if form.errors else 200,
    )


def _submission_limit() -> int:
    return int(settings.SUBMISSION_RATE_LIMIT)


def booked(request: HttpRequest) -> HttpResponse:
    # Shown once: a later visitor of the same browser must not find the code here.
    info = request.session.pop(BOOKED_SESSION_KEY, None)
    if not info:
        return redirect("schedules:track")
    booking = selectors.booking_by_reference(info["reference"])
    if booking is None:
        raise Http404
    return render(request, "schedules/booked.html", {"booking": booking, "code": info["code"]})


def _grant(request: HttpRequest, pk: int) -> None:
    if not request.user.is_authenticated:
        # A citizen's access ends when the browser closes (shared phones).
        request.session.set_expiry(0)
    granted = set(request.session.get(TRACK_SESSION_KEY, []))
    granted.add(pk)
    request.session[TRACK_SESSION_KEY] = sorted(granted)[-20:]


def _granted(request: HttpRequest, reference: str) -> Any:
    booking = selectors.booking_by_reference(reference)
    if booking is None or booking.pk not in request.session.get(TRACK_SESSION_KEY, []):
        raise Http404
    return booking


def track(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST or None)
    if request.method == "POST" and not allow(request, "booking-track", TRACKING_ATTEMPTS_PER_HOUR):
        form.is_valid()
        form.add_error(
            None, _("Too many attempts from your connection. Please try again in an hour.")
        )
        return too_many(render(request, "schedules/track.html", {"form": form}))
    if request.method == "POST" and form.is_valid():
        booking = selectors.booking_for_citizen(
            form.cleaned_data["reference"], form.cleaned_data["code"]
        )
        if booking is None:
            form.add_error(
                None,
                _(
                    "No booking matches this booking code and secret code. Check both and try again."
                ),
            )
        else:
            _grant(request, booking.pk)
            return redirect("schedules:track_detail", reference=booking.reference)
    return render(
        request, "schedules/track.html", {"form": form}, status=400 if form.errors else 200
    )


def _move_days(booking: Any) -> Any:
    return selectors.open_days(booking.day.agency_id, exclude=[booking.day_id])


def track_detail(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _granted(request, reference)
    allowed = moves.citizen_actions(booking)
    return render(
        request,
        "schedules/track_detail.html",
        {
            "booking": booking,
            "timeline": booking.events.filter(is_public=True),
            "can_accept": "accept_proposal" in allowed,
            "can_move": "move" in allowed,
            "can_cancel": "cancel" in allowed,
            "move_form": forms.MoveBookingForm(days=_move_days(booking)),
            "cancel_form": forms.CitizenCancelForm(),
            "badges": BOOKING_BADGES,
        },
    )


CITIZEN_FORMS: dict[str, Any] = {
    "accept_proposal": lambda booking, data: forms.EmptyForm(data),
    "move": lambda booking, data: forms.MoveBookingForm(data, days=_move_days(booking)),
    "cancel": lambda booking, data: forms.CitizenCancelForm(data),
}


@require_POST
def track_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    booking = _granted(request, reference)
    if action not in CITIZEN_FORMS:
        raise Http404
    if not allow(request, "booking-submit", _submission_limit()):
        messages.error(request, str(TOO_MANY))
        return redirect("schedules:track_detail", reference=booking.reference)
    form = CITIZEN_FORMS[action](booking, request.POST)
    ran = run_form(request, form, lambda data: moves.run_booking(action, booking, CITIZEN, data))
    if ran.ok:
        messages.success(request, str(DONE["citizen_" + action]))
    elif not ran.refused:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("schedules:track_detail", reference=booking.reference)


# --- the reception office -----------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    """A staff page of the schedule: someone who reads no agency's schedule and is no
    leader finds no such page (404)."""
    if (
        not selectors.schedule_agency_ids(request.user)
        and not Leader.objects.filter(user_id=cast(int, request.user.pk)).exists()
    ):
        raise Http404


@login_required
def staff_days(request: HttpRequest) -> HttpResponse:
    _staff(request)
    month = _month(request)
    filters = selectors.DayFilters(
        month=month,
        agency=int_param(request.GET.get("agency")),
        status=choice_param(request.GET, "status", DayStatus.values),
        mine=request.GET.get("mine") == "1",
    )
    previous, following = _neighbours(month)
    return render(
        request,
        "schedules/staff_days.html",
        {
            "page": page_of(request, selectors.staff_days(request.user, filters), 50),
            "filters": filters,
            "month": month,
            "previous": previous,
            "following": following,
            "statuses": DayStatus.choices,
            "agencies": Agency.objects.filter(
                pk__in=selectors.schedule_agency_ids(request.user)
            ).order_by("name"),
            "can_plan": bool(acting_agency_ids(request.user, Action.RECEPTION)),
            "badges": DAY_BADGES,
        },
    )


# The leaders offered: those of the agencies the officer works for and of the agencies
# under them (a department head at the provincial office); the service checks the pair.
def _day_form(request: HttpRequest, data: Any = None, initial: Any = None) -> forms.DayForm:
    agencies = Agency.objects.filter(pk__in=acting_agency_ids(request.user, Action.RECEPTION))
    leaders = Leader.objects.filter(is_active=True).filter(
        agency__in=agencies
    ) | Leader.objects.filter(is_active=True, agency__parent__in=agencies)
    return forms.DayForm(data, initial=initial, agencies=agencies, leaders=leaders.distinct())


def _plan(data: dict[str, Any]) -> services.DayPlan:
    return services.DayPlan(
        leader=data["leader"],
        kind=data["kind"],
        date=data["date"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        place=data["place"],
        capacity=data["capacity"],
        offers_online=data["offers_online"],
        reason=data["reason"],
    )


@login_required
def day_new(request: HttpRequest) -> HttpResponse:
    if not acting_agency_ids(request.user, Action.RECEPTION):
        raise Http404
    form = _day_form(request, request.POST or None)
    if request.method == "POST":
        ran = run_form(
            request,
            form,
            lambda data: services.day_plan(
                actor=request.user, agency=data["agency"], plan=_plan(data)
            ),
        )
        if ran.ok and ran.result is not None:
            messages.success(request, _("The day is planned. Publish it to show it to citizens."))
            return redirect(ran.result)
    return render(
        request,
        "schedules/day_form.html",
        {"form": form, "day": None},
        status=400 if form.errors else 200,
    )


@login_required
def day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.day_for_staff(request.user, pk)
    if "edit" not in moves.day_actions(request.user, day):
        raise Http404
    initial = {
        "agency": day.agency_id,
        "leader": day.leader_id,
        "kind": day.kind,
        "reason": day.reason,
        "date": day.date,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "place": day.place,
        "capacity": day.capacity,
        "offers_online": day.offers_online,
    }
    form = _day_form(request, request.POST or None, initial=initial)
    form.fields["agency"].disabled = True
    if request.method == "POST":
        ran = run_form(
            request,
            form,
            lambda data: services.day_edit(day=day, actor=request.user, plan=_plan(data)),
        )
        if ran.ok or ran.refused:
            if ran.ok:
                messages.success(request, _("The day was changed."))
            return redirect(day)
    return render(
        request,
        "schedules/day_form.html",
        {"form": form, "day": day},
        status=400 if form.errors else 200,
    )


DAY_FORMS: dict[str, type[django_forms.Form]] = {
    "publish": forms.EmptyForm,
    "confirm": forms.NoteForm,
    "delegate": forms.DelegateForm,
    "hold": forms.NoteForm,
    "miss": forms.NoteForm,
    "cancel": forms.ReasonForm,
}


def _render_day(
    request: HttpRequest,
    day: ReceptionDay,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    names = [n for n in moves.day_actions(request.user, day) if n in DAY_FORMS]
    action_forms = [
        (
            name,
            DAY_LABELS[name],
            bound[1] if bound and bound[0] == name else DAY_FORMS[name](auto_id=f"id_{name}_%s"),
        )
        for name in names
    ]
    manage = selectors.may_manage(request.user, day)
    bookings = list(selectors.bookings_of(day)) if manage else []
    return render(
        request,
        "schedules/day_detail.html",
        {
            "day": day,
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            "can_edit": "edit" in moves.day_actions(request.user, day),
            "manage": manage,
            "bookings": [(b, unseal(b.identity)) for b in bookings],
            "booking_counts": selectors.booking_counts(day),
            "events": day.events.select_related("actor"),
            "badges": DAY_BADGES,
            "booking_badges": BOOKING_BADGES,
        },
        status=status,
    )


@login_required
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_day(request, selectors.day_for_staff(request.user, pk))


@login_required
@require_POST
def day_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    day = selectors.day_for_staff(request.user, pk)
    if name not in DAY_FORMS:
        raise Http404
    form = DAY_FORMS[name](request.POST, auto_id=f"id_{name}_%s")
    ran = run_form(request, form, lambda data: moves.run_day(name, day, request.user, data))
    if ran.ok:
        messages.success(request, str(DONE["day_" + name]))
    if ran.ok or ran.refused:
        return redirect(day)
    return _render_day(request, day, bound=(name, form), status=400)


def _booking_form(name: str, booking: Any, data: Any = None) -> django_forms.Form:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name == "propose":
        return forms.ProposeForm(data, days=_move_days(booking), **kwargs)
    form_class = forms.ReasonForm if name == "cancel" else forms.MessageForm
    return form_class(data, **kwargs)


def _render_booking(
    request: HttpRequest,
    booking: Any,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    action_forms = [
        (
            name,
            BOOKING_LABELS[name],
            bound[1] if bound and bound[0] == name else _booking_form(name, booking),
        )
        for name in moves.booking_actions(request.user, booking)
    ]
    visible = selectors.may_see_identity(request.user, booking)
    return render(
        request,
        "schedules/booking_detail.html",
        {
            "booking": booking,
            "visitor": unseal(booking.identity) if visible else None,
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            "events": booking.events.select_related("actor"),
            "badges": BOOKING_BADGES,
            "field_label": Field(booking.field).label if booking.field in Field.values else "",
        },
        status=status,
    )


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_booking(request, selectors.booking_for_staff(request.user, pk))


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    booking = selectors.booking_for_staff(request.user, pk)
    if name not in moves.BOOKING_SERVICES:
        raise Http404
    form = _booking_form(name, booking, request.POST)
    ran = run_form(request, form, lambda data: moves.run_booking(name, booking, request.user, data))
    if ran.ok:
        messages.success(request, str(DONE["booking_" + name]))
    if ran.ok or ran.refused:
        return redirect(booking)
    return _render_booking(request, booking, bound=(name, form), status=400)


@login_required
def compliance(request: HttpRequest) -> HttpResponseBase:
    _staff(request)
    today = timekeeping.today()
    year = int_param(request.GET.get("nam")) or today.year
    year = year if 2014 <= year <= today.year + 1 else today.year
    agency = int_param(request.GET.get("agency"))
    start, end = date(year, 1, 1), min(date(year, 12, 31), today.replace(day=1))
    if end < start:
        end = start
    rows = selectors.compliance(request.user, start=start, end=end, agency_id=agency)
    if request.GET.get("format") == "xlsx":
        return exports.compliance_workbook(rows, year=year)
    return render(
        request,
        "schedules/compliance.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(max(2014, today.year - 4), today.year + 1)),
            "agency": agency,
            "agencies": Agency.objects.filter(
                pk__in=selectors.schedule_agency_ids(request.user)
            ).order_by("name"),
            "summary": selectors.compliance_summary(
                request.user, start=start, end=end, agency_id=agency
            ),
        },
    )
