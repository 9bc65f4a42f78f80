"""Attack modules hold one algorithm each; shared helpers live elsewhere."""

import ast
from pathlib import Path

import skpoison.attacks

ATTACKS_DIR = Path(skpoison.attacks.__file__).parent
# Helper modules, not algorithms: shared by several attacks (_grouping), or
# the query objectives and search strategies of BlackBoxAttack.
SHARED = {"_grouping", "_objectives", "_optimizers"}


def _imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_attack_imports_another_attacks_private_module():
    offenders = []
    for path in sorted(ATTACKS_DIR.glob("_*.py")):
        if path.name == "__init__.py":
            continue
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[:2] != ["skpoison", "attacks"] or len(parts) < 3:
                continue
            if parts[2] not in SHARED and parts[2] != path.stem:
                offenders.append(f"{path.name} imports {module}")
    assert not offenders, offenders
    # the check sees the shared module's users
    users = [
        p.name
        for p in ATTACKS_DIR.glob("_*.py")
        if "skpoison.attacks._grouping" in set(_imported_modules(p))
    ]
    assert {"_bridge.py", "_centroid_noise.py"} <= set(users)
