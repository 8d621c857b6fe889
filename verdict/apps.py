from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerdictConfig(AppConfig):
    name = "verdict"
    verbose_name = _("Citizens' verdict")
