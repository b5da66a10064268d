"""Code-size figures of the app code (no migrations, no tests): functions over 60 lines and files over 400 lines.

python scripts/code_metrics.py [root]
"""

import ast
import sys
from pathlib import Path

APPS = ("awards", "portal", "products", "extension_projects")
FUNCTION_LINES, FILE_LINES = 60, 400


def measure(root: Path):
    long_functions, big_files = [], []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            name = str(path.relative_to(root))
            if text.count("\n") > FILE_LINES:
                big_files.append((text.count("\n"), name))
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > FUNCTION_LINES:
                        long_functions.append((length, f"{name}:{node.lineno} {node.name}"))
    return sorted(long_functions, reverse=True), sorted(big_files, reverse=True)


def main() -> None:
    long_functions, big_files = measure(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
    print(f"functions over {FUNCTION_LINES} lines: {len(long_functions)}")
    for length, name in long_functions:
        print(f"  {length:4d} {name}")
    print(f"files over {FILE_LINES} lines: {len(big_files)}")
    for length, name in big_files:
        print(f"  {length:4d} {name}")


if __name__ == "__main__":
    main()
