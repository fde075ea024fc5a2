"""A real PostgreSQL server for the tests and the benchmark, started with PostgreSQL's own
``initdb``/``pg_ctl`` in a temporary folder, listening on loopback with password (SCRAM)
authentication. As root, the server runs as the unprivileged OS user ``annotator-test``
(created if missing), since PostgreSQL refuses to run as root.

Every failure raises :class:`ServerError` with the reason: the tests then FAIL, never skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

OS_USER = "annotator-test"
SUPERUSER = "postgres"


class ServerError(RuntimeError):
    pass


def find_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    raise ServerError(f"PostgreSQL's {name} was not found on PATH nor in /usr/lib/postgresql/*/bin "
                      "(install the 'postgresql' package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    root: Path
    port: int
    password: str
    passfile: Path
    log: Path
    as_user: list[str] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, user: str, db: str) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True,
                              timeout=120)
        if check and proc.returncode != 0:
            raise ServerError(f"{' '.join(cmd[:2])} failed ({proc.returncode}): "
                              f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        return proc

    def start(self) -> None:
        self._run(find_tool("pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data), "-l",
                  str(self.log), "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c max_connections=120")

    def stop(self, mode: str = "fast") -> None:
        self._run(find_tool("pg_ctl"), "stop", "-w", "-D", str(self.data), "-m", mode,
                  check=False)

    def discard(self) -> None:
        """Stop the server and remove its folder and passfile."""
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.passfile.parent, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def remember(self, user: str, password: str) -> None:
        """Add ``user``'s password to the test passfile (libpq reads it via PGPASSFILE)."""
        self.passwords[user] = password
        lines = [f"127.0.0.1:{self.port}:*:{u}:{p}" for u, p in self.passwords.items()]
        self.passfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.passfile.chmod(0o600)

    def superuser_sql(self, sql: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=self.password, dbname=db, autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, name: str) -> str:
        """An empty database owned by a new role ``owner_NAME`` (may create roles); returns
        the owner's URL."""
        owner = f"owner_{name}"
        pw = secrets.token_hex(8)
        self.superuser_sql(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{pw}'")
        self.superuser_sql(f"CREATE DATABASE {name} OWNER {owner}")
        self.superuser_sql(f"REVOKE ALL ON SCHEMA public FROM PUBLIC; "
                           f"ALTER SCHEMA public OWNER TO {owner}", db=name)
        self.remember(owner, pw)
        return self.url(owner, name)


def start_server() -> PgServer:
    """Create a cluster in a temporary folder and start it; raises ServerError saying why."""
    initdb = find_tool("initdb")
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                                   "/usr/sbin/nologin", OS_USER], capture_output=True, text=True)
            if made.returncode != 0:
                raise ServerError(f"cannot create the OS user {OS_USER} to run PostgreSQL as "
                                  f"(not as root): {made.stderr.strip()}") from None
        shutil.chown(root, OS_USER, OS_USER)
        runuser = shutil.which("runuser")
        as_user = [runuser, "-u", OS_USER, "--"] if runuser else ["su", OS_USER, "-s",
                                                                   "/bin/sh", "-c"]
        if not runuser:
            raise ServerError("runuser is missing: cannot run PostgreSQL as a non-root user")
    password = secrets.token_hex(12)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n", encoding="utf-8")
    if as_user:
        shutil.chown(pwfile, OS_USER, OS_USER)
    server = PgServer(root=root, port=_free_port(), password=password,
                      passfile=Path(tempfile.mkdtemp(prefix="annotator-pgpass-")) / "pgpass",
                      log=root / "server.log", as_user=as_user)
    server._run(initdb, "-D", str(server.data), "-U", SUPERUSER, "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8",
                "--locale=C.UTF-8")
    pwfile.unlink()
    try:
        server.start()
    except ServerError as exc:
        log = server.log.read_text(errors="replace")[-800:] if server.log.exists() else ""
        raise ServerError(f"{exc}; server log: {log}") from None
    server.remember(SUPERUSER, password)
    return server
