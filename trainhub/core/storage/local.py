"""Files in a local folder (the default: instance/uploads, or UPLOAD_FOLDER, or
STORAGE_URL=file:///path). Several hosts can share it only as a network folder (NFS)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from trainhub.core.storage.base import KEY_RE, Missing, checked_key

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class LocalStorage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def description(self) -> str:
        return f"folder {self.folder}"

    def ensure_folder(self) -> Path:
        """The folder, made 0700 if it is ours (an older one may have been made 0755)."""
        self.folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        info = self.folder.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o077:
            self.folder.chmod(FOLDER_MODE)
        return self.folder

    def _path(self, key: str) -> Path:
        return self.folder / checked_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream",
            ) -> None:
        """Write whole or not at all (a temporary name, then renamed), created 0600 from
        the start; an existing key is replaced, as an object store's PUT replaces it."""
        folder = self.ensure_folder()
        path = folder / checked_key(key)
        partial = folder / f".partial-{secrets.token_hex(8)}"  # never a key: not listed
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        with self.open(key) as stream:
            return stream.read()

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise Missing(f"{key} is not in {self.description}") from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.folder.is_dir():
            return
        for entry in sorted(os.scandir(self.folder), key=lambda e: e.name):
            if entry.is_file(follow_symlinks=False) and KEY_RE.fullmatch(entry.name):
                yield entry.name
