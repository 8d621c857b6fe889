"""Demo accounts that must use a second factor get an authenticator with one fixed,
published key, so `make run` works without a phone: `oathtool --totp -b KEY` (or any
authenticator app given the key) prints the code. Never in production: the key is in
this file."""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth.models import User

from . import policy, services

# 20 bytes, as django-otp makes them; base32 MNUXM2LDFVYG64TUMFWC2ZDFNVXS2MTG.
DEMO_KEY = b"civic-portal-demo-2f"


def demo_key_base32() -> str:
    return b32encode(DEMO_KEY).decode()


def seed(usernames: list[str]) -> list[str]:
    """Give each of these users who must use a second factor the demo authenticator,
    unless they already set one up. Idempotent; returns who must type a code."""
    guarded: list[str] = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not policy.required_for(user):
            continue
        guarded.append(user.username)
        if policy.confirmed_device(user) is None:
            services.give_device(user, key=DEMO_KEY, name="demo")
    return guarded
