"""Domain errors every case machine raises. Pages show their message; the API's one
handler (`casework.drf.errors.api_exception_handler`) maps them to 409 / 403 / 400.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The move cannot happen in the case's current state (HTTP 409)."""

    default_message = _("This action is not possible in the case's current state.")

    def __init__(self, message: Any = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class TransitionNotAllowed(Conflict):
    default_message = _("This action is not allowed in the case's current state.")


class ConcurrentChange(Conflict):
    default_message = _(
        "Someone else changed this case a moment ago. Reload the page to see the "
        "current state, then try again if it still applies."
    )


class NotPermitted(DjangoPermissionDenied):
    """The actor's role does not allow the move (HTTP 403)."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _("Your role does not allow this action.")
        super().__init__(str(self.message))
