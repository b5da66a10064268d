"""Add or update Vietnamese translations from a JSON file and recompile the catalogue, under a file lock so
several people (or sessions) editing at once do not overwrite each other's entries.

    .venv/bin/python scripts/po_add.py translations.json

The JSON is an object {"English msgid": "Vietnamese msgstr", ...}; for a plural entry give
{"English singular": {"plural": "English plural", "msgstr": "Vietnamese"}} (Vietnamese has one plural form).
`make messages` later adds the source references of each entry."""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/vi/LC_MESSAGES/django.po"
LOCK = ROOT / "var/po.lock"


def merge(po: polib.POFile, translations: dict) -> int:
    changed = 0
    for msgid, value in translations.items():
        plural, msgstr = (value["plural"], value["msgstr"]) if isinstance(value, dict) else (None, value)
        entry = po.find(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid)
            if plural:
                entry.msgid_plural = plural
            po.append(entry)
        if plural:
            entry.msgstr_plural = {0: msgstr}
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.obsolete = False
        changed += 1
    return changed


def main(paths: list[str]) -> int:
    LOCK.parent.mkdir(exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO), wrapwidth=79)
        changed = sum(merge(po, json.loads(Path(p).read_text(encoding="utf-8"))) for p in paths)
        po.save(str(PO))
        print(f"{changed} entries added or updated in {PO.relative_to(ROOT)}")
        return subprocess.call([sys.executable, str(ROOT / "scripts/compile_messages.py")])  # noqa: S603 (our own script)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
