"""The one error of backups: what was refused and why, each problem on its own line."""

from __future__ import annotations


class BackupRefused(Exception):
    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
