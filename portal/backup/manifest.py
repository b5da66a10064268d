"""The folder side of a backup: copying the media root with a SHA-256 per file, the manifest, and checking a
backup folder against its manifest before anything is restored from it."""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from .postgres import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1024 * 1024


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(root: Path, excluded: list[Path]) -> list[str]:
    """The regular files under root, as sorted POSIX paths relative to it, without the excluded folders (signing
    keys kept inside the media root) and without symbolic links (the portal never stores one)."""
    found = []
    if not root.is_dir():
        return found
    excluded = [path.resolve() for path in excluded]
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = [name for name in subfolders if (here / name).resolve() not in excluded]
        found += [(here / name).relative_to(root).as_posix() for name in names if _regular(here / name)]
    return sorted(found)


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def copy_files(source: Path, target: Path, names: list[str]) -> dict[str, dict]:
    """Copy each named file from source to target; the checksum and size of each, as copied (read from target)."""
    checksums = {}
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, destination)
        checksums[name] = {"sha256": sha256(destination), "size": destination.stat().st_size}
    return checksums


def git_commit(folder: Path) -> str | None:
    try:
        result = subprocess.run(  # noqa: S603
            ["git", "-C", str(folder), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def write(folder: Path, manifest: dict) -> None:
    """Written aside and renamed, last of all: a folder with a manifest.json is a finished backup."""
    partial = folder / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, folder / MANIFEST)


def read(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: not a backup folder, or a backup that did not finish.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not a readable manifest: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has an unknown format (expected format {FORMAT}).")
    return manifest


def verify(folder: Path, manifest: dict) -> None:
    """Every checksum of the manifest against the folder: the first missing, changed or unlisted file is named."""
    _check(folder / DUMP, manifest["database"]["dump"])
    listed = manifest["files"]
    for name, expected in listed.items():
        _safe(name)
        _check(folder / FILES / name, expected)
    unlisted = sorted(set(stored_files(folder / FILES, [])) - set(listed))
    if unlisted:
        raise BackupError(f"{folder / FILES / unlisted[0]} is not in the manifest: the backup was changed.")


def _safe(name: str) -> None:
    """A listed name must stay inside files/ (and the media root it is restored to)."""
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts:
        raise BackupError(f"The manifest lists an unsafe file name {name!r}: the backup was changed.")


def _check(path: Path, expected: dict) -> None:
    if not _regular(path):
        raise BackupError(f"{path} is missing from the backup.")
    if path.stat().st_size != expected["size"] or sha256(path) != expected["sha256"]:
        raise BackupError(f"{path} does not match its checksum in the manifest: the backup is damaged or was changed.")
