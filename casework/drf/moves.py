"""Each move of a machine as a POST action of its viewset, mapped to the move's
service once.

An app lists its API moves as `ApiMove`s (the input serializer and the schema's words)
and gives the viewset a `run_move(name, case, data)` that calls the service — the same
mapping its pages use — and a `moved(name, case, result)` that answers. `with_moves`
then adds one `@action(detail=True, methods=["post"])` per move, so fifteen moves are
not fifteen hand-written methods that can drift from the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from casework.errors import NotPermitted
from casework.transitions import Machine

ViewSetT = TypeVar("ViewSetT", bound=type[GenericViewSet])


@dataclass(frozen=True)
class ApiMove:
    name: str
    input: type[serializers.Serializer]
    summary: str
    description: str = ""
    # The schema's answers ({200: Serializer, 409: …}).
    responses: dict[int, Any] = field(default_factory=dict)


class MoveActions:
    """The input half of what `with_moves` needs. The viewset adds `run_move(name, case,
    data)` (the service call) and `moved(name, case, result)` (the answer), and
    `move_machine(name, case)`: the machine and the row a move is asked of, so that
    whoever may not make it is told so (403) before anything about its input or the
    case's state (400, 409)."""

    def move_machine(self, name: str, case: Any) -> tuple[Machine[Any], Any] | None:
        return None

    def permit_move(self, name: str, case: Any) -> None:
        found = self.move_machine(name, case)
        if found is None:
            return
        machine, subject = found
        spec = machine.by_name.get(name)
        view: Any = self
        if spec is not None and not machine.permitted(spec, view.request.user, subject):
            raise NotPermitted()

    def move_input(self, name: str, case: Any) -> dict[str, Any]:
        """The move's input, validated by its serializer (400 with each field's errors)."""
        view: Any = self
        context = {**view.get_serializer_context(), "case": case}
        serializer = view.get_serializer_class()(data=view.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _handler(name: str) -> Callable[..., Response]:
    def handler(self: Any, request: Request, pk: str) -> Response:
        case = self.get_object()
        self.permit_move(name, case)
        result = self.run_move(name, case, self.move_input(name, case))
        return self.moved(name, case, result)

    handler.__name__ = name
    handler.__qualname__ = f"MoveActions.{name}"
    return handler


def with_moves(moves: Sequence[ApiMove]) -> Callable[[ViewSetT], ViewSetT]:
    """Add one POST action per move to the viewset class."""

    def decorate(cls: ViewSetT) -> ViewSetT:
        for spec in moves:
            view = action(detail=True, methods=["post"], serializer_class=spec.input)(
                _handler(spec.name)
            )
            view = extend_schema(
                summary=spec.summary,
                description=spec.description or None,
                responses=spec.responses or None,
            )(view)
            setattr(cls, spec.name, view)
        return cls

    return decorate
