"""What the petitions API accepts: each move's input, named field for field as the
staff page's form for the same move (both hand `moves.run` the same data), and a
petition recorded by an official. `MOVE_SPECS` lists the moves as POST actions."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from rest_framework import serializers

from agencies.models import AdministrativeUnit, Agency
from casework.drf.errors import error_responses
from casework.drf.fields import EnumField, IdField
from casework.drf.moves import ApiMove

from .. import selectors
from ..identity import ID_NUMBER_INVALID, ID_NUMBER_PATTERN, PHONE_INVALID, PHONE_PATTERN
from ..models import Channel, NotAcceptedReason, Outcome
from ..moves import STAFF_MOVES
from .serializers import (
    PetitionDetailSerializer,
    PetitionSummarySerializer,
    field_field,
    kind_field,
)

TEXT_MAX = 5000  # notes and reasons: generous, but no megabyte paste reaches a row


def _text(*, required: bool = True, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    if required:
        return serializers.CharField(max_length=max_length, **kwargs)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _optional_pattern(regex: str, invalid: Any) -> serializers.RegexField:
    """A petitioner's detail that may be left out (blank), and must follow its rule when
    given (petitions.identity: the same rule as the pages' forms)."""
    return serializers.RegexField(
        regex, required=False, allow_blank=True, default="", error_messages={"invalid": invalid}
    )


def _active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


class OptionalNoteInput(serializers.Serializer):
    note = _text(required=False)


class RequiredNoteInput(serializers.Serializer):
    note = _text()


class AcceptInput(OptionalNoteInput):
    is_complex = serializers.BooleanField(
        default=False, help_text="Complex case: the longer legal period applies."
    )


class TransferInput(OptionalNoteInput):
    to_agency = IdField(queryset=_active_agencies(), help_text="The competent agency.")


class GuideInput(serializers.Serializer):
    guided_to = _text(max_length=300, help_text="Where the citizen should submit, and how.")


class NotAcceptInput(OptionalNoteInput):
    reason = EnumField(NotAcceptedReason.choices, enum_name="NotAcceptedReason")


class DecisionInput(serializers.Serializer):
    reason = _text()
    decision_number = _text(max_length=60)


class ExtendInput(DecisionInput):
    especially_complex = serializers.BooleanField(
        default=False, help_text="Denunciations: especially complex allows a second extension."
    )


class ResolveInput(serializers.Serializer):
    outcome = EnumField(Outcome.choices, enum_name="PetitionOutcome")
    decision_number = _text(max_length=60)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    result_summary = _text(help_text="The result, as the citizen will read it.")


class AppealInput(serializers.Serializer):
    content = serializers.CharField(min_length=20, max_length=20000)
    to_agency = IdField(
        queryset=_active_agencies(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The agency resolving the second round; empty: the parent agency.",
    )


class ReasonInput(serializers.Serializer):
    reason = _text()


class OptionalReasonInput(serializers.Serializer):
    reason = _text(required=False)


class AssignInput(serializers.Serializer):
    handler = IdField(
        queryset=selectors.handlers_of(0), help_text="A handler or lead of the case's agency."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        petition = self.context.get("case")
        if petition is not None:
            # The same choice the page offers: the active handlers and leads of the agency.
            handler = cast(serializers.PrimaryKeyRelatedField, self.fields["handler"])
            handler.queryset = selectors.handlers_of(petition.handling_agency_id)


RECORD_CHANNELS = [(c.value, c.label) for c in (Channel.IN_PERSON, Channel.POST, Channel.FORWARDED)]


class RecordInput(serializers.Serializer):
    """A petition an official received in person, by post or forwarded by another body."""

    kind = kind_field()
    field = field_field()
    channel = EnumField(RECORD_CHANNELS, enum_name="RecordChannel")
    handling_agency = IdField(
        queryset=_active_agencies(), help_text="An agency where you may handle cases."
    )
    commune = IdField(
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE),
        required=False,
        allow_null=True,
        default=None,
    )
    subject = serializers.CharField(max_length=200)
    content = serializers.CharField(min_length=20, max_length=20000)
    received_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: today."
    )
    is_remote_area = serializers.BooleanField(default=False)
    name = _text(required=False, max_length=120, help_text="Empty for an anonymous letter.")
    phone = _optional_pattern(PHONE_PATTERN, PHONE_INVALID)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = _text(required=False, max_length=300)
    id_number = _optional_pattern(ID_NUMBER_PATTERN, ID_NUMBER_INVALID)
    co_signers = serializers.ListField(
        child=serializers.CharField(max_length=120),
        required=False,
        default=list,
        max_length=500,
        help_text="The other signatories of a petition signed by several people.",
    )


# --- the moves as POST actions: /petitions/{id}/{name}/ --------------------------------------

# The request body is the move's input; the answer is the updated case, or the new case
# a transfer or an appeal opened (201, in the summary form: it may lie outside the scope).
MOVED = {200: PetitionDetailSerializer, **error_responses(400, 403, 404, 409)}
CREATED = {201: PetitionSummarySerializer, **error_responses(400, 403, 404, 409)}
NEW_CASE = "the answer is that new case (201), which may lie outside your scope."
_SPECS: dict[str, tuple[type[serializers.Serializer], str, str]] = {
    "accept": (AcceptInput, "Accept for resolution (lead): starts the resolution clock", ""),
    "transfer": (
        TransferInput,
        "Transfer to the competent agency (handler)",
        "The receiving agency gets a new case; " + NEW_CASE,
    ),
    "guide": (GuideInput, "Guide the citizen elsewhere (handler); terminal", ""),
    "not_accept": (NotAcceptInput, "Do not accept, with a legal reason (lead); terminal", ""),
    "file": (RequiredNoteInput, "File without action (handler); terminal", ""),
    "suspend": (DecisionInput, "Suspend (lead): the resolution clock pauses", ""),
    "resume": (
        OptionalNoteInput,
        "Resume (lead): the clock goes on, pushed by the paused days",
        "",
    ),
    "extend": (ExtendInput, "Extend the resolution deadline (lead), within the policy's cap", ""),
    "resolve": (ResolveInput, "Resolve with an outcome and a decision (lead)", ""),
    "close": (OptionalNoteInput, "Close a resolved case (lead)", ""),
    "appeal": (
        AppealInput,
        "Record a second-round complaint (handler)",
        "Opens a linked second-round case at the higher agency; " + NEW_CASE,
    ),
    "withdraw": (OptionalReasonInput, "Record the petitioner's withdrawal (lead)", ""),
    "terminate": (ReasonInput, "Terminate, with the reason (lead)", ""),
    "assign": (AssignInput, "Assign a handler of the agency (lead); internal", ""),
    "note": (RequiredNoteInput, "Add an internal note (handler); never shown to the citizen", ""),
}
OPENS_A_CASE = frozenset({"transfer", "appeal"})
# Every move an official makes is an action, in the machine's order (a move without its
# input here fails at import, not in production).
MOVE_SPECS = tuple(
    ApiMove(
        name,
        _SPECS[name][0],
        summary=_SPECS[name][1],
        description=_SPECS[name][2],
        responses=CREATED if name in OPENS_A_CASE else MOVED,
    )
    for name in STAFF_MOVES
)
API_MOVES = tuple(spec.name for spec in MOVE_SPECS)
