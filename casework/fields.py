"""Model fields every case machine declares alike (the DRF ones are in casework.drf.fields)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit

M = TypeVar("M", bound=models.Model)


def optional_link(
    to: type[M] | str, verbose_name: Any, *, related_name: str = "+"
) -> models.ForeignKey[M | None, M | None]:
    """A link a case may have or not (blank in forms), to a row that may not be deleted
    while a case names it: history keeps pointing at what it named. For a link to
    "self", annotate the attribute so that the type checker knows the model."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def commune_field() -> models.ForeignKey[AdministrativeUnit | None, AdministrativeUnit | None]:
    """The commune a case concerns; none when it concerns the whole province."""
    return optional_link(AdministrativeUnit, _("commune concerned"))
