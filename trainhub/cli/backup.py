"""`flask --app trainhub backup create DIR` and `backup restore DIR`: the operator's side of
trainhub.core.backup (README: 备份与恢复 · Backup and restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from trainhub.core.backup import BackupRefused, create_backup, restore_backup
from trainhub.core.backup.manifest import Manifest
from trainhub.core.backup.service import code_heads
from trainhub.core.storage import storage
from trainhub.extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the database and uploaded files.")

FOLDER = click.Path(file_okay=False, path_type=Path)


def _where() -> dict[str, Any]:
    """This configuration's database and file storage (a local folder or a bucket)."""
    return {"engine": db.engine, "files": storage()}


def _summary(manifest: Manifest) -> str:
    rows = sum(int(table["rows"]) for table in manifest.tables.values())
    size = sum(part.size for part in manifest.files)
    return (f"{manifest.dialect} database at revision {', '.join(manifest.schema_revision)}: "
            f"{len(manifest.tables)} tables, {rows} rows; {len(manifest.files)} files, "
            f"{size} bytes")


def _refused(action: str, refusal: BackupRefused) -> click.ClickException:
    lines = "\n".join(f"  - {problem}" for problem in refusal.problems)
    return click.ClickException(f"{action} refused:\n{lines}")


@backup_cli.command("create")
@click.argument("folder", type=FOLDER)
def create(folder: Path) -> None:
    """Back up the database and every uploaded file into FOLDER (new or empty), with a
    manifest of checksums. Readable by the owner only."""
    try:
        manifest = create_backup(folder, **_where())
    except BackupRefused as refusal:
        raise _refused("Backup", refusal) from None
    except OSError as error:  # a full disk, a folder we may not write: nothing is left
        raise click.ClickException(f"Backup failed: {error}") from None
    click.echo(f"Backup written to {folder}: {_summary(manifest)}.")


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(folder: Path) -> None:
    """Restore the backup in FOLDER into this configuration's database and upload folder,
    both of which must be empty. Refuses a damaged backup or an unknown schema revision."""
    migrations = Path(current_app.extensions["migrate"].directory)
    db.session.remove()  # no connection of ours may hold the database during the restore
    try:
        manifest = restore_backup(folder, migrations=migrations, **_where())
    except BackupRefused as refusal:
        raise _refused("Restore", refusal) from None
    except OSError as error:
        raise click.ClickException(f"Restore failed: {error}") from None
    click.echo(f"Restored from {folder}: {_summary(manifest)}; every table's rows and "
               "checksum equal the backup's.")
    if set(manifest.schema_revision) != code_heads(migrations):
        click.echo("The backup's schema is older than this version: run "
                   "`flask --app trainhub db upgrade` next.")
