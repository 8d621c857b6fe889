"""Partner systems, the jurisdictions they file in, and the link from each petition
filed through Open311 to its partner and the location it sent."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit
from petitions.models import Petition


class Jurisdiction(models.Model):
    """One province as GeoReport v2 names it (`jurisdiction_id`, e.g. ninhbinh.gov.vn)."""

    jurisdiction_id = models.CharField(
        _("jurisdiction id"),
        max_length=100,
        unique=True,
        help_text=_("What partners send as jurisdiction_id, e.g. the province's domain."),
    )
    province = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdministrativeUnit.Level.PROVINCE},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 jurisdiction")
        verbose_name_plural = _("Open311 jurisdictions")
        ordering = ["jurisdiction_id"]

    def __str__(self) -> str:
        return self.jurisdiction_id


class Partner(models.Model):
    """Another system allowed to file requests; its API key is stored only as a keyed
    digest (keys.py) and shown once, when issued."""

    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    # keys.key_digest of the key; unique, so a request's key is found with one lookup.
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so an administrator can tell keys apart.
    key_prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    expires_on = models.DateField(_("key expires on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    requests_per_hour = models.PositiveIntegerField(
        _("requests per hour"),
        default=600,
        help_text=_("Calls with this key allowed in an hour; more are refused until it ends."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner system")
        verbose_name_plural = _("partner systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_usable(self, today: date | None = None) -> bool:
        """Not revoked and not past its expiry date (the key's last valid day)."""
        return self.revoked_at is None and self.expires_on >= (today or timezone.localdate())


class PartnerRequest(models.Model):
    """A petition filed through Open311: which partner sent it and where, as sent."""

    petition = models.OneToOneField(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner system"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    service_code = models.CharField(_("service code"), max_length=40)
    # WGS84 coordinates exactly as the partner sent them (no map yet: nothing reads
    # them as numbers but the GeoReport answer).
    lat = models.CharField(_("latitude"), max_length=32, blank=True)
    long = models.CharField(_("longitude"), max_length=32, blank=True)
    address_string = models.CharField(_("address"), max_length=500, blank=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("request filed through Open311")
        verbose_name_plural = _("requests filed through Open311")
        ordering = ["-created_at", "-id"]
        indexes = [
            # selectors.request_rows: a jurisdiction's requests in a date window,
            # newest first, a page at a time.
            models.Index(fields=["jurisdiction", "created_at", "id"], name="open311_window"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.petition_id}"
