"""Strings of the libraries we use that their own Vietnamese catalogues lack.

Django's admin (5.x) and DRF's token app show these in a Vietnamese page; listed here
so that `make messages` keeps them in the project catalogue (locale/), which Django
reads before the libraries' own. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    # rest_framework.authtoken: the app's label and the model's names.
    gettext_noop("Auth Token"),
    gettext_noop("Token"),
    gettext_noop("Tokens"),
    # django.contrib.admin 5.x.
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
]
