from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Installed for its translation catalogue and templates only: no models."""

    name = "casework"
    verbose_name = "Casework"
