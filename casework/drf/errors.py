"""The API's errors: the one exception handler (settings REST_FRAMEWORK), the error
bodies in the schema, and DRF's messages an API client meets, in our catalogue.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from casework.errors import Conflict, NotPermitted

# DRF's Vietnamese catalogue translates only 20 of its messages. These are the ones an API
# client meets; naming them here puts them in casework's catalogue (makemessages), where
# Django finds them because DRF's own catalogue has no translation for them.
DRF_MESSAGES = (
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("User inactive or deleted."),
    gettext_noop("Invalid page."),
    gettext_noop("Malformed request."),
    gettext_noop("Invalid input."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("This field may not be null."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("A valid integer is required."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Null characters are not allowed."),
)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")


ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    401: OpenApiResponse(
        response=ErrorSerializer,
        description="Not signed in: no valid token (`Authorization: Token …`) or session.",
    ),
    400: OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description="Bad input: `{field: [message, …]}` (or `non_field_errors`).",
    ),
    403: OpenApiResponse(
        response=ErrorSerializer,
        description="Not authenticated, or the role does not allow this action.",
    ),
    404: OpenApiResponse(response=ErrorSerializer, description="No such row in your scope."),
    409: OpenApiResponse(
        response=ErrorSerializer,
        description="The move is not possible in the case's current state, or another "
        "user changed the case a moment ago.",
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The refusals an operation documents; every one may answer 401 to a stranger."""
    return {code: ERROR_RESPONSES[code] for code in sorted({401, *codes})}


LIST_PAGE_NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description="No such page of the list (`page` past its end)."
)


def listed_responses(serializer: Any) -> dict[int, Any]:
    """A list endpoint's answers in the schema: a page of `serializer`, bad input, or a
    page past the end."""
    return {200: serializer(many=True), **error_responses(400, 403), 404: LIST_PAGE_NOT_FOUND}


def detail_responses(serializer: Any) -> dict[int, Any]:
    """A detail endpoint's answers in the schema: one `serializer`, or not in your scope."""
    return {200: serializer, **error_responses(403, 404)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotPermitted):
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: Any = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = drf_exceptions.ValidationError(data)
    return exception_handler(exc, context)
