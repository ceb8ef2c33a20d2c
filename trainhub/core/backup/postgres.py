"""PostgreSQL: pg_dump (custom format) in a snapshot exported by our own transaction, so the
manifest's revision and figures describe exactly the dumped data; pg_restore in a single
transaction, so a failed restore leaves the database as empty as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # noqa: S404 - pg_dump/pg_restore with fixed arguments, never a shell
from pathlib import Path

import sqlalchemy as sa
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import Engine

from trainhub.core.backup.errors import BackupRefused
from trainhub.core.backup.fingerprint import Figures, Verify, revision, table_figures
from trainhub.core.backup.manifest import private_file

VERSION_RE = re.compile(r"PostgreSQL\)\s+(\d+)")

# Anything in a schema of our own (tables, sequences, views, functions, enum and domain
# types) means the database is in use: a restore needs one freshly created.
# Tables come first in the answer: they say most to the operator.
OBJECTS = sa.text(r"""
    SELECT c.relname AS name, c.relkind NOT IN ('r', 'p') AS later
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
    UNION ALL
    SELECT p.proname, true FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT t.typname, true FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND t.typtype IN ('e', 'd')
    ORDER BY later, name LIMIT 5""")


class Postgres:
    dialect = "postgresql"
    part = "database.pgdump"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _server_major(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000

    def _tool(self, name: str) -> tuple[str, str]:
        """The program and its version line: on PATH, or Debian's folder for the server's
        version. pg_dump refuses a server newer than itself, so an older one is no use."""
        major = self._server_major()
        for path in (shutil.which(name), f"/usr/lib/postgresql/{major}/bin/{name}"):
            if not path or not os.access(path, os.X_OK):
                continue
            line = subprocess.run([path, "--version"], capture_output=True, text=True,  # noqa: S603
                                  check=False).stdout.strip()
            found = VERSION_RE.search(line)
            if found and int(found.group(1)) >= major:
                return path, line
        raise BackupRefused(f"{name} of PostgreSQL {major} or newer is needed (the server is "
                        f"version {major}); install the package postgresql-client-{major}")

    def _connection_args(self) -> tuple[str, dict[str, str]]:
        """A libpq connection string without the password, which goes in the environment
        (a command line is visible to every user of the machine)."""
        url = self.engine.url
        params = {k: str(v) for k, v in url.query.items()}
        conninfo = make_conninfo(host=url.host, port=url.port, user=url.username,
                                 dbname=url.database, **params)
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        return conninfo, env

    def _run(self, args: list[str], **kwargs: object) -> None:
        conninfo, env = self._connection_args()
        done = subprocess.run([*args, "--no-password", f"--dbname={conninfo}"],  # noqa: S603
                              env=env, stderr=subprocess.PIPE, text=True, check=False,
                              **kwargs)  # type: ignore[call-overload]
        if done.returncode != 0:
            raise BackupRefused(f"{Path(args[0]).name} failed: {done.stderr.strip()}")

    def objects(self) -> list[str]:
        """Up to five names of what the database already holds (none: empty)."""
        with self.engine.connect() as conn:
            return list(conn.execute(OBJECTS).scalars())

    def dump(self, target: Path) -> tuple[list[str], Figures, str]:
        """Dump into `target`; the revision and figures read in the same snapshot."""
        program, version = self._tool("pg_dump")
        with self.engine.connect().execution_options(
                isolation_level="REPEATABLE READ") as conn, conn.begin():
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            with private_file(target) as writer:
                self._run([program, "--format=custom", f"--snapshot={snapshot}"],
                          stdout=writer)
            return revision(conn), table_figures(conn), version

    def restore(self, source: Path, verify: Verify) -> None:
        """All of it in one transaction, or nothing. The check runs after the commit
        (pg_restore owns its transaction): a difference is reported, not undone."""
        program, _ = self._tool("pg_restore")
        self.engine.dispose()
        self._run([program, "--single-transaction", "--exit-on-error", str(source)])
        with self.engine.connect() as conn:
            verify(conn)
