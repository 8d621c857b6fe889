"""REST API of voter recommendations: terms, council sessions, voter meetings, the items
voters raised, their forwardings to agencies and the agencies' answers — read — and one
POST per move, running the same services as the staff pages (recommendations.moves).

Thin, like the pages (STYLE: Views and API): every read starts from the scope-aware
selectors (404 outside the user's scope); every write validates a small input serializer
(inputs.py) and runs the move; the one exception handler turns the services' errors into
409 / 403 / 400.

Scope, as on the pages: council staff read their council's sessions and everything in
them; monitors their province; agency officials the forwardings to their agencies and, of
each recommendation they answer, its text and sources, their own forwardings and the
events about them — never another agency's answer or draft.
"""

from .inputs import SessionForwardInput
from .serializers import FORWARDING_MOVES, ITEM_MOVES, MEETING_MOVES, SESSION_MOVES
from .viewsets import (
    AnswerViewSet,
    CouncilSessionViewSet,
    ForwardingViewSet,
    RecommendationViewSet,
    TermViewSet,
    VoterMeetingViewSet,
)

__all__ = [
    "FORWARDING_MOVES",
    "ITEM_MOVES",
    "MEETING_MOVES",
    "SESSION_MOVES",
    "AnswerViewSet",
    "CouncilSessionViewSet",
    "ForwardingViewSet",
    "RecommendationViewSet",
    "SessionForwardInput",
    "TermViewSet",
    "VoterMeetingViewSet",
]
