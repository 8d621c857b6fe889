"""The directory: administrative units, agencies, memberships and the calendar.

This app knows no case types; the case apps ask it who may do what and how to
count days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrativeUnit(models.Model):
    """A province or commune, with its official statistics-office code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("province (tỉnh)")
        CITY = "thanh_pho", _("centrally governed city")
        COMMUNE = "xa", _("commune (xã)")
        WARD = "phuong", _("ward (phường)")
        SPECIAL_ZONE = "dac_khu", _("special zone (đặc khu)")

    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=150)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Units are never deleted: old cases may name pre-2025 units.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unique_unit_code_per_level")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province(self) -> AdministrativeUnit:
        return self if self.level == self.Level.PROVINCE or self.parent is None else self.parent


class Locality(models.Model):
    """A village or residential group under a commune (thôn, xóm, bản, ấp, tổ dân phố):
    the place of a grassroots mediation team. Not an administrative unit of its own."""

    class Kind(models.TextChoices):
        VILLAGE = "thon", _("village (thôn)")
        HAMLET = "xom", _("hamlet (xóm)")
        HIGHLAND_VILLAGE = "ban", _("highland village (bản)")
        SOUTHERN_HAMLET = "ap", _("hamlet (ấp)")
        RESIDENTIAL_GROUP = "to_dan_pho", _("residential group (tổ dân phố)")

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="localities",
        limit_choices_to={"level": AdministrativeUnit.Level.COMMUNE},
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("village or residential group")
        verbose_name_plural = _("villages and residential groups")
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="unique_locality_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.commune.name}"


class Agency(models.Model):
    """A body that receives or resolves cases: UBND, a department, the inspectorate, HĐND…"""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
        PEOPLES_COUNCIL = "hdnd", _("People's Council")
        COUNCIL_STANDING = "tt_hdnd", _("Standing Committee of the People's Council")
        DEPARTMENT = "so", _("Department")
        INSPECTORATE = "thanh_tra", _("Inspectorate")
        OTHER = "khac", _("Other body")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # The province the agency belongs to, denormalised so that a monitor's scope is
    # one indexed filter (agencies.scope.visible_agency_ids).
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="province_agencies",
        editable=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.province_id = self.unit.province.pk
        super().save(*args, **kwargs)


class Field(models.TextChoices):
    """Fields (lĩnh vực) of DOMAIN.md's glossary, shared by petitions and voter
    recommendations so their figures line up."""

    LAND = "land", _("Land")
    ENVIRONMENT = "environment", _("Environment")
    CONSTRUCTION = "construction", _("Construction")
    SOCIAL_POLICY = "social_policy", _("Social policy")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    TRANSPORT = "transport", _("Transport")
    JUSTICE = "justice", _("Justice")
    PERSONNEL = "personnel", _("Personnel")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    HANDLER = "handler", _("Handler")
    LEAD = "lead", _("Lead")
    COUNCIL_STAFF = "council_staff", _("Council staff")
    MONITOR = "monitor", _("Monitor")
    ADMIN = "admin", _("Administrator")
    # Cán bộ tiếp công dân: keeps the reception register, schedule and bookings of
    # the agency (or of the province's Ban tiếp công dân).
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")


class Membership(models.Model):
    """A user's role in one agency; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class CalendarDay(models.Model):
    """A day the `holidays` package does not know: an extra day off or a make-up workday."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Extra day off")
        WORKING_DAY = "work", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("reason"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"


class DeadlinePolicy(models.Model):
    """One legal clock's length, as data: the row in force on the trigger date applies.

    Keys name a clock (``petition.handling``, ``complaint1.resolution``, ``voter.answer``…);
    the case apps own the meaning, this table only the numbers and their legal basis.
    """

    key = models.CharField(_("clock"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(
        _("working days"), default=True, help_text=_("Unticked: calendar days.")
    )
    complex_days = models.PositiveSmallIntegerField(_("days if complex"), null=True, blank=True)
    remote_days = models.PositiveSmallIntegerField(
        _("days in a remote area"), null=True, blank=True
    )
    complex_remote_days = models.PositiveSmallIntegerField(
        _("days if complex and remote"), null=True, blank=True
    )
    extension_days = models.PositiveSmallIntegerField(
        _("days per extension"), null=True, blank=True
    )
    max_extensions = models.PositiveSmallIntegerField(_("maximum extensions"), default=0)
    due_soon_days = models.PositiveSmallIntegerField(
        _("'due soon' from (working days left)"), default=3
    )
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="unique_policy_key_effective_from"
            )
        ]

    def __str__(self) -> str:
        unit = _("working days") if self.working_days else _("calendar days")
        return f"{self.name}: {self.days} {unit} ({self.effective_from:%d/%m/%Y})"

    def days_for(self, *, complex_case: bool = False, remote: bool = False) -> int:
        if complex_case and remote and self.complex_remote_days:
            return self.complex_remote_days
        if complex_case and self.complex_days:
            return self.complex_days
        if remote and self.remote_days:
            return self.remote_days
        return self.days
