"""Teams and their members are reference data the administrators keep; the cases are
worked on the staff pages only (every change through the machine)."""

from __future__ import annotations

from django.contrib import admin

from .models import Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["full_name", "role", "user", "term_start", "term_end"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "locality", "commune", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "locality__name", "commune__name"]
    autocomplete_fields = ["locality"]
    inlines = [TeamMemberInline]
