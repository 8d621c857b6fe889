"""Django admin for the register: none, on purpose (as petitions.admin): visits are read
on the register's pages, whose readers the scope checks (agencies.scope) and whose
reveals of a sealed identity are logged; the admin would bypass both."""

from __future__ import annotations
