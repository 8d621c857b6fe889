"""Django admin for voter recommendations.

Terms and sessions are reference data an administrator may edit (but not a session's
status). Nothing with a workflow is here: meetings, recommendations, forwardings and
answers are case data, read on the staff pages through the reader's scope; the admin
role manages reference data only (issue 16).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CouncilSession, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "council", "elected_on"]
    list_select_related = ["council"]
    autocomplete_fields = ["council"]


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "council", "term", "kind", "opens_on", "closes_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["council", "term"]
    date_hierarchy = "opens_on"
    # The council always follows the term; the status moves only through the services.
    readonly_fields = ["council", "status", "published_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.council_id = obj.term.council_id
        super().save_model(request, obj, form, change)
