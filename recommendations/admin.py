"""Django admin for voter recommendations.

Terms and sessions are reference data an administrator may edit (but not a session's
status). Everything with a workflow is read-only here: its changes go through the
services, so that each one writes its event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from casework.admin import CaseEventInline, ReadOnlyAdmin

from .models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    RecommendationSource,
    Term,
    VoterMeeting,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


@admin.register(VoterMeeting)
class VoterMeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "timing", "place", "commune", "session", "voters_count"]
    list_filter = ["timing"]
    list_select_related = ["commune", "session"]
    search_fields = ["place", "deputies"]
    date_hierarchy = "held_on"


class SourceInline(ReadOnlyInline):
    model = RecommendationSource
    fk_name = "recommendation"
    fields = ["meeting", "collected_as", "voters_count", "content"]


class ForwardingInline(ReadOnlyInline):
    model = Forwarding
    fields = ["agency", "dispatch_number", "dispatched_on", "status", "answer_due_on", "result"]


class EventInline(CaseEventInline):
    model = RecommendationEvent
    fk_name = "recommendation"


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "session", "field", "status", "result", "voters_count", "times_raised"]
    list_filter = ["status", "result", "field"]
    list_select_related = ["session"]
    search_fields = ["content", "search_text"]
    inlines = [SourceInline, ForwardingInline, EventInline]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["round", "category", "answered_on", "on_time", "assessment", "document_number"]


@admin.register(Forwarding)
class ForwardingAdmin(ReadOnlyAdmin):
    list_display = [
        "recommendation",
        "agency",
        "status",
        "dispatched_on",
        "answer_due_on",
        "result",
    ]
    list_filter = ["status", "result"]
    list_select_related = ["recommendation", "agency"]
    search_fields = ["dispatch_number", "agency__name"]
    date_hierarchy = "answer_due_on"
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["forwarding", "round", "category", "answered_on", "on_time", "assessment"]
    list_filter = ["category", "assessment", "on_time"]
    list_select_related = ["forwarding"]


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "session", "carried_on"]
    list_select_related = ["recommendation", "session"]


@admin.register(RecommendationSource)
class RecommendationSourceAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "collected_as", "meeting", "voters_count"]
    list_select_related = ["recommendation", "collected_as", "meeting"]


@admin.register(RecommendationEvent)
class RecommendationEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "action",
        "session",
        "recommendation",
        "from_status",
        "to_status",
        "actor",
        "agency",
    ]
    list_filter = ["action", "is_public"]
    list_select_related = ["session", "recommendation", "actor", "agency"]
    date_hierarchy = "created_at"
