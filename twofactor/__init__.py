"""Two-factor authentication for the staff who can reveal a denouncer or read a province.

Leads, monitors and administrators (and superusers and Django-admin staff) type a code
from an authenticator app (TOTP, django-otp) after their password, or one of ten
single-use recovery codes; handlers and council staff may opt in. The rule of who must
is `policy.required_for`; the one gate that holds a session back until it has passed is
`middleware.RequireTwoFactorMiddleware`. Imports agencies (the scope) and casework (the
attempt counter) of ours.
"""
