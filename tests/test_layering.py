"""The layers of docs/architecture.md where import-linter cannot see them. Python imports are checked by the
contracts in pyproject.toml (`lint-imports`, run by `make lint` and .ci/run); these tests read the source for what
an import graph misses: an app named through a string (`apps.get_model("awards", …)`, `reverse("awards:…")`,
`{% url 'awards:…' %}`, `{% include "awards/…" %}`), another app's private names, and a portal module the layers
contract forgot."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "products", "awards", "extension_projects")
# URL namespaces and template folders of the layers above products (portal's: record, accounts, dashboards, …).
ABOVE_PRODUCTS = (
    "awards",
    "extension_projects",
    "portal",
    "record",
    "accounts",
    "dashboards",
    "comparison",
    "reports",
    "catalogue",
    "imports",
    "exports",
)


def naming(names) -> re.Pattern:
    """A string that names one of `names`: a URL name ("awards:…"), a template ("awards/…"), a model or an app
    looked up by label (get_model("awards", …), get_app_config("awards")) or a dotted path ("awards.models")."""
    alternatives = "|".join(names)
    return re.compile(
        rf"""["']({alternatives})[:/.]"""
        rf"""|get_(model|app_config)\(\s*["']({alternatives})["']"""
        rf"""|get_model\(\s*["']({alternatives})\."""
    )


def sources(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                yield path


def strings_naming(pattern, *folders) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources(*folders)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]


def test_naming_finds_each_way_of_naming_an_app():
    pattern = naming(("awards",))
    for line in (
        'apps.get_model("awards", "Recognition")',
        "apps.get_model('awards.Level')",
        "apps.get_app_config('awards')",
        "reverse('awards:staff.ocop.create')",
        '{% url "awards:staff.recognition.delete" r.pk %}',
        '{% include "awards/components/ocop_history.html" %}',
        'import_string("awards.selectors.recognition_list")',
    ):
        assert pattern.search(line), line
    assert not pattern.search('"rewards: none"')
    assert not pattern.search("products:staff.product.detail")


def test_products_names_no_other_app_not_even_through_strings():
    assert strings_naming(naming(ABOVE_PRODUCTS), "products", "templates/products") == []


@pytest.mark.parametrize(
    ("app", "other"), [("awards", "extension_projects"), ("extension_projects", "awards")], ids=["awards", "extension"]
)
def test_awards_and_extension_projects_do_not_name_each_other(app, other):
    assert strings_naming(naming((other,)), app, f"templates/{app}") == []


def app_of(module: str) -> str:
    """portal's packages are apps of their own (portal.accounts, portal.imports, …); portal.core is shared."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "portal" and len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_app_imports_another_apps_private_names():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            own = app_of(module_name(path))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                if node.module.split(".")[0] not in APPS or app_of(node.module) == own:
                    continue
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert found == []


def test_the_layers_contract_names_every_module_of_portal():
    """portal's modules other than portal.core form the top layer; a new one left out of the contract could be
    imported by any app without import-linter noticing."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    named = {name.strip() for layer in layers for name in re.split(r"[:|]", layer)}
    children = {
        f"portal.{path.stem}"
        for path in (ROOT / "portal").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert children - named == set()
    assert layers[-1] == "portal.core"
