"""Django admin for petitions: none (see below)."""

from __future__ import annotations

# Nothing of petitions is in Django admin, on purpose. The admin role manages reference
# data (agencies, users, calendars, deadline policies: agencies.admin); a petition's
# subject, content, notes and attachments' names are read on the case page, whose
# reader the scope checks (agencies.scope) and whose reveals of a denouncer are
# logged. A superuser browsing cases there would bypass both (issue 16).
