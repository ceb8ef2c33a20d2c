"""The manifest: what a backup holds (the database part, every file, each with its size and
SHA-256), the schema revision and the per-table figures; and the check that the parts on
disk are exactly what it lists. Written last, so a backup cut short has none."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from trainhub.core.backup.errors import BackupRefused
from trainhub.core.backup.fingerprint import Figures

FORMAT, VERSION = "trainhub-backup", 1
MANIFEST = "manifest.json"
FILES = "files"  # the uploaded files, under their storage keys
CHUNK = 1 << 20


@dataclass(frozen=True)
class Part:
    path: str  # relative to the backup folder, with "/"
    size: int
    sha256: str


@dataclass
class Manifest:
    dialect: str
    database: Part
    schema_revision: list[str]
    tables: Figures
    files: list[Part] = field(default_factory=list)
    created_at: str = ""
    made_by: str = ""  # pg_dump's version line, or SQLite's version

    def as_json(self) -> dict[str, Any]:
        def part(p: Part) -> dict[str, Any]:
            return {"path": p.path, "size": p.size, "sha256": p.sha256}

        return {"format": FORMAT, "version": VERSION, "created_at": self.created_at,
                "made_by": self.made_by,
                "dialect": self.dialect, "schema_revision": self.schema_revision,
                "database": part(self.database), "tables": self.tables,
                "files": [part(f) for f in self.files]}


def private_file(path: Path) -> Any:
    """Open a new file for writing that only the owner can read (0600 from the start)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened: set it


def copy_hashed(reader: BinaryIO, folder: Path, relative: str) -> Part:
    """Copy what `reader` gives into a new private file at `folder`/`relative`; the size
    and checksum are of the bytes written."""
    digest, size = hashlib.sha256(), 0
    target = folder / relative
    if target.parent != folder:
        private_folder(target.parent)
    with private_file(target) as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return Part(path=relative, size=size, sha256=digest.hexdigest())


def hash_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write(folder: Path, manifest: Manifest) -> None:
    """Write the manifest under a temporary name, then rename: it appears whole or not."""
    temporary = folder / (MANIFEST + ".partial")
    with private_file(temporary) as writer:
        writer.write(json.dumps(manifest.as_json(), ensure_ascii=False, indent=1).encode())
        writer.flush()
        os.fsync(writer.fileno())
    temporary.rename(folder / MANIFEST)


def _part(data: Any) -> Part:
    return Part(path=str(data["path"]), size=int(data["size"]), sha256=str(data["sha256"]))


def read(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupRefused([f"{path} is missing: not a TrainHub backup, or a backup that "
                             "did not finish"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise BackupRefused([f"{path} is not a {FORMAT} manifest of version {VERSION}"])
        return Manifest(dialect=str(data["dialect"]), database=_part(data["database"]),
                        schema_revision=[str(r) for r in data["schema_revision"]],
                        tables=dict(data["tables"]),
                        files=[_part(f) for f in data["files"]],
                        created_at=str(data.get("created_at", "")),
                        made_by=str(data.get("made_by", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupRefused([f"{path} cannot be read: {error}"]) from None


def _safe(relative: str) -> bool:
    """A path inside the backup folder: a manifest from elsewhere must not reach out."""
    parts = PurePosixPath(relative).parts
    return bool(parts) and not relative.startswith("/") and ".." not in parts


def _on_disk(folder: Path) -> Iterator[str]:
    """Every regular file under the backup folder, but the manifest itself."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST:
            yield relative


def check_parts(folder: Path, manifest: Manifest) -> None:
    """Every listed part present with its size and checksum, and nothing unlisted."""
    problems: list[str] = []
    listed = [manifest.database, *manifest.files]
    for part in listed:
        path = folder / part.path
        if not _safe(part.path):
            problems.append(f"{part.path}: a path outside the backup folder")
        elif not path.is_file():
            problems.append(f"{part.path}: missing")
        elif hash_file(path) != (part.size, part.sha256):
            problems.append(f"{part.path}: checksum differs from the manifest")
    names = {part.path for part in listed}
    problems += [f"{name}: not listed in the manifest" for name in _on_disk(folder)
                 if name not in names]
    if problems:
        raise BackupRefused(problems)
