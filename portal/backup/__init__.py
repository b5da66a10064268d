"""Backup and restore (`manage.py backup`, `manage.py restore`; README, "Backup and restore").

A backup is a folder: `database.dump` (pg_dump's custom format), `files/` (a copy of the media root) and
`manifest.json`, written last, which records the row count of every table and the migrations applied (read in the
very snapshot pg_dump dumps), and the SHA-256 of the dump and of every file. Signing keys and other secrets are
left out on purpose; the manifest lists what was left out.

- `postgres`: the database side (snapshot, counts, pg_dump, pg_restore);
- `manifest`: the folder side (copying files with their checksums, writing and verifying the manifest)."""
