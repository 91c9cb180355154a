"""The import contracts in pyproject.toml name the modules of meetings/ one by one (import-linter
cannot forbid a package to its own children): these tests keep those lists complete, so that a
new module of the core or a new capability app cannot slip past them."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEETINGS = ROOT / "meetings"


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {contract["name"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def _capability_apps() -> set[str]:
    """Packages of meetings/ that are Django apps of their own."""
    return {f"meetings.{path.parent.name}" for path in MEETINGS.glob("*/apps.py")}


def _core_modules() -> set[str]:
    names = set()
    for path in MEETINGS.iterdir():
        if path.name.startswith(("_", ".")) or path.name == "__pycache__":
            continue
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
            names.add(f"meetings.{path.stem}")
    return names - _capability_apps() - {"meetings.anonymiser"}


def test_the_core_contract_names_every_module_of_the_core_and_every_capability_app():
    contract = _contracts()["The meetings core never imports a capability app"]

    assert set(contract["source_modules"]) == _core_modules()
    assert set(contract["forbidden_modules"]) == _capability_apps()


def test_the_anonymiser_contract_names_every_other_part_of_meetings():
    contract = _contracts()["The anonymiser is a plain package that imports no app"]

    named = {module for module in contract["forbidden_modules"] if module.startswith("meetings.")}
    assert named == (_core_modules() - {"meetings.migrations"}) | _capability_apps()


def test_every_capability_app_has_the_same_few_parts():
    for app in _capability_apps():
        folder = MEETINGS / app.split(".")[1]
        parts = {path.stem for path in folder.iterdir()}
        assert {"apps", "models", "services", "rules", "views", "urls"} <= parts, app
