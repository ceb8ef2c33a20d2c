"""Backup and restore: the database (pg_dump / the SQLite online backup API), the uploaded
files, and a manifest of checksums, schema revision and per-table figures that a restore
checks before it touches anything and again after it has restored."""

from trainhub.core.backup.service import BackupRefused, create_backup, restore_backup

__all__ = ["BackupRefused", "create_backup", "restore_backup"]
