"""Compile locale/*/LC_MESSAGES/django.po to .mo with polib (no GNU gettext needed for `make run`), and
fail when a Vietnamese entry is missing or fuzzy: the portal is Vietnamese first."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    status = 0
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        lang = po_path.parts[-3]
        if lang == "vi":
            missing = [e for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
            fuzzy = [e for e in po if not e.obsolete and "fuzzy" in e.flags]
            for entry in missing + fuzzy:
                where = entry.occurrences[0] if entry.occurrences else ("?", "")
                kind = "fuzzy" if entry in fuzzy else "untranslated"
                print(f"{po_path.relative_to(ROOT)}: {kind}: {entry.msgid!r} ({where[0]}:{where[1]})")
            if missing or fuzzy:
                status = 1
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return status


if __name__ == "__main__":
    sys.exit(main())
