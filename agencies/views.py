from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .scope import StaffRequest
from .selectors import memberships_of


@login_required
def staff_home(request: StaffRequest) -> HttpResponse:
    """The staff landing page: the user's agencies and roles."""
    return render(
        request, "agencies/staff_home.html", {"memberships": memberships_of(request.user)}
    )
