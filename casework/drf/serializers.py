"""Serializer parts every case machine's API shares: the timeline's agency and the
official who acted, by name, and the detail that shows its list row's fields and more."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .directory import AgencyRefSerializer


def more_fields(parent: type[serializers.ModelSerializer], *names: str) -> Any:
    """The Meta of a serializer that shows its `parent`'s fields and then `names`, every
    one read-only (as the parent's are): `Meta = more_fields(ListSerializer, ...)`."""
    # Typed Any: mypy reads `Meta = ...` in a subclass as a clash with the parent's
    # nested class.
    fields = [*parent.Meta.fields, *names]
    return type("Meta", (parent.Meta,), {"fields": fields, "read_only_fields": fields})


def person_name(user: Any) -> str | None:
    """An official as the staff pages name them: the full name, else the username."""
    return None if user is None else (user.get_full_name() or user.username)


# The base of each machine's event serializer, whose Meta lists these fields. No
# docstring: the schema would show it as each event component's description.
class EventSerializerBase(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    actor_name = serializers.SerializerMethodField()
    # The system's sentence about the step, in the request's language; `note` is what
    # the official typed.
    said = serializers.CharField(source="said_text", read_only=True)

    def get_actor_name(self, event: Any) -> str | None:
        # Officials' names are for staff only; every API reader is staff of the case's scope.
        return person_name(event.actor)
