"""Words and colours the pages use for moves, statuses and kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import MOVES, Kind, Status

# Each event's name on a timeline: the moves' own labels (models.MOVES), and receipt.
MOVE_LABELS = {"submit": _("Received"), **{m.name: m.label for m in MOVES}}

STATUS_BADGES = {
    Status.RECEIVED: "text-bg-primary",
    Status.ACCEPTED: "text-bg-info",
    Status.SUSPENDED: "text-bg-warning",
    Status.RESOLVED: "text-bg-success",
    Status.CLOSED: "text-bg-secondary",
}

KIND_EXPLANATIONS = {
    Kind.COMPLAINT: _(
        "You disagree with an administrative decision or act of an agency or official that "
        "affects your rights, and ask for it to be reviewed (khiếu nại)."
    ),
    Kind.DENUNCIATION: _(
        "You report a violation of the law by an official, agency or organisation so that it is "
        "dealt with (tố cáo). Your identity is kept confidential by law."
    ),
    Kind.RECOMMENDATION: _(
        "You propose how a policy, a procedure or a public service could be improved (kiến nghị)."
    ),
    Kind.REFLECTION: _(
        "You let the authorities know about a problem you have seen — a broken road, pollution, "
        "a delayed procedure — so that they look into it (phản ánh)."
    ),
}

ACTION_DONE = {
    "accept": _("The petition was accepted for resolution."),
    "transfer": _("The petition was transferred."),
    "guide": _("The citizen was guided."),
    "not_accept": _("The petition was not accepted."),
    "file": _("The petition was filed."),
    "suspend": _("The resolution was suspended."),
    "resume": _("The resolution was resumed."),
    "extend": _("The deadline was extended."),
    "resolve": _("The petition was resolved."),
    "close": _("The case was closed."),
    "appeal": _("A second-round complaint was opened."),
    "withdraw": _("The withdrawal was recorded."),
    "terminate": _("The case was terminated."),
    "assign": _("The handler was assigned."),
    "note": _("The note was added."),
}
