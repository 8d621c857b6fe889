# English pages write dates as the Vietnamese ones do (dd/mm/yyyy): one definition.
from civic_portal.formats.vi.formats import (  # noqa: F401 — read by Django by name
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
