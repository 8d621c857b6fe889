"""The import rules of DESIGN.md ("Which app may import which"), read from the source.

Every import of every application module (function-local ones included) is checked
against the layer it may reach; migrations are left out (Django writes them), and so
are tests and bench, which may reach everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASE_APPS = {"petitions", "recommendations", "mediation", "schedules", "reception"}
BELOW = {"sealing"}
# What each package may import of ours besides itself (arrows of DESIGN.md).
MAY_IMPORT: dict[str, set[str]] = {
    "sealing": set(),
    "agencies": BELOW,
    "notifications": BELOW,
    "casework": {"agencies", "notifications", *BELOW},
    "petitions": {"casework", "agencies", "notifications", *BELOW},
    "recommendations": {"casework", "agencies", "notifications", *BELOW},
    # Mediation may hand a failed dispute to petitions through its submit service.
    "mediation": {"petitions", "casework", "agencies", "notifications", *BELOW},
    # The reception register opens a visit's petition through its submit service.
    "reception": {"petitions", "casework", "agencies", "notifications", *BELOW},
    # The reception schedule and bookings: the core only (dashboards and civic_portal
    # import it, as a case app).
    "schedules": {"casework", "agencies", "notifications", *BELOW},
    "dashboards": {
        *CASE_APPS,
        "verdict",
        "casework",
        "agencies",
        "notifications",
        "twofactor",
        *BELOW,
    },
    # The citizens' and voters' verdict reads both case apps (their selectors, the
    # petitions' one door for a reopening); only dashboards and civic_portal import it.
    "verdict": {*CASE_APPS, "casework", "agencies", "notifications", *BELOW},
    # Two-factor authentication: the scope says who must use it, the core counts
    # wrong codes; dashboards (the demo) and civic_portal (urls) reach it.
    "twofactor": {"agencies", "casework", "notifications", *BELOW},
    # Open311 is a case-facing door: it files and reads petitions through their
    # services and selectors; only civic_portal wires it in.
    "open311": {"petitions", "casework", "agencies", "notifications", *BELOW},
    # The configuration package wires the apps' URLs, settings and Celery together.
    "civic_portal": {
        *CASE_APPS,
        "dashboards",
        "open311",
        "verdict",
        "casework",
        "agencies",
        "notifications",
        "twofactor",
    },
}
OURS = set(MAY_IMPORT)


def _imports(path: Path, package: str) -> set[str]:
    """The top-level packages of ours that the module at `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: within the package itself
                continue
            found.add((node.module or "").split(".")[0])
    return (found & OURS) - {package}


def _modules() -> list[tuple[str, Path]]:
    return [
        (package, path)
        for package in sorted(OURS)
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


@pytest.mark.parametrize(
    ("package", "path"),
    _modules(),
    ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v,
)
def test_each_module_imports_only_the_layers_below_it(package: str, path: Path) -> None:
    forbidden = _imports(path, package) - MAY_IMPORT[package]
    assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


def test_the_rules_forbid_what_design_forbids() -> None:
    # The arrows themselves: a lower layer never reaches a case app, the case apps never
    # reach each other, dashboards or the configuration, and nothing reaches civic_portal.
    for lower in ("sealing", "agencies", "notifications", "casework"):
        assert not MAY_IMPORT[lower] & (CASE_APPS | {"dashboards", "civic_portal"})
    assert "recommendations" not in MAY_IMPORT["petitions"]
    assert "petitions" not in MAY_IMPORT["recommendations"]
    for app in CASE_APPS:
        assert not MAY_IMPORT[app] & {"dashboards", "civic_portal"}
    assert all("civic_portal" not in allowed for allowed in MAY_IMPORT.values())
    # Open311 is a door at the edge: only the configuration wires it in.
    assert [p for p, allowed in MAY_IMPORT.items() if "open311" in allowed] == ["civic_portal"]


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from recommendations.models import Forwarding\n")
    assert _imports(module, "petitions") == {"recommendations"}
