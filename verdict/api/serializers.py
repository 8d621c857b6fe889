"""The documented shape of the verdict figures (verdict.selectors.verdict_of)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ScoreCountSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text=_("1 (very dissatisfied) to 5 (very satisfied)."))
    # A declared field named like Field.label, which the DRF stubs read as the attribute.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class VerdictFiguresSerializer(serializers.Serializer):
    """The citizens' verdict on the period's resolutions (README, "Ý kiến của người dân")."""

    resolutions = serializers.IntegerField(
        help_text=_("Resolutions given in the period: resolved + reopened.")
    )
    answered = serializers.IntegerField(
        help_text=_("Resolutions the citizen gave an opinion on: confirmed + disputed + reopened.")
    )
    response_rate = serializers.FloatField(
        allow_null=True, help_text=_("answered ÷ resolutions, per cent.")
    )
    confirmed = serializers.IntegerField(
        help_text=_("Resolved in the period; the citizen says the matter is settled.")
    )
    confirmed_rate = serializers.FloatField(
        allow_null=True, help_text=_("confirmed ÷ resolutions, per cent.")
    )
    disputed = serializers.IntegerField(
        help_text=_("Resolved but disputed: the citizen says the matter is not settled.")
    )
    disputed_rate = serializers.FloatField(
        allow_null=True, help_text=_("disputed ÷ resolutions, per cent.")
    )
    reopened = serializers.IntegerField(
        help_text=_("Resolutions of the period that the citizen reopened.")
    )
    reopened_rate = serializers.FloatField(
        allow_null=True, help_text=_("reopened ÷ resolutions, per cent.")
    )
    satisfaction_mean = serializers.FloatField(
        allow_null=True, help_text=_("Mean satisfaction (1–5), one decimal, half up.")
    )
    satisfaction_count = serializers.IntegerField(
        help_text=_("The number of answers the mean is computed from.")
    )
    distribution = ScoreCountSerializer(many=True)
