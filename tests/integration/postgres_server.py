"""A PostgreSQL cluster of the test's own, on a free port, that the test stops and starts at will.

The machine's PostgreSQL (DATABASE_URL's) is never stopped nor restarted: other test runs and
other people's work use it. This cluster is made by initdb in a temporary folder and run by the
`postgres` system user (PostgreSQL refuses to run as root); it holds a copy (pg_dump) of the
test database, taken when the test has written what it needs there, and only the web processes
the test starts use it. fsync is off: a clean stop (`-m fast`) still writes everything, and
nothing here has to outlive the machine.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.smtp import free_port


def _programs() -> Path:
    """POSTGRES_BIN, else the newest of Debian's /usr/lib/postgresql/N/bin (pg_dump must be at
    least as new as the machine's server)."""
    if os.environ.get("POSTGRES_BIN"):
        return Path(os.environ["POSTGRES_BIN"])
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    return found[-1] if found else Path("/usr/lib/postgresql/15/bin")


BIN = _programs()
SYSTEM_USER = "postgres"
NAME = "concertation"


def missing() -> str | None:
    """Why this machine cannot run a cluster of the test's own (None when it can)."""
    if not (BIN / "initdb").exists():
        return f"this test runs a PostgreSQL of its own, and {BIN / 'initdb'} is missing (POSTGRES_BIN)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "this test runs PostgreSQL as the postgres user, through runuser, which is missing"
    return None


class PrivatePostgres:
    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="concertation-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{NAME}"

    def _as_postgres(self, program: str, *arguments: str) -> subprocess.CompletedProcess:
        command = [str(BIN / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)

    def create(self) -> "PrivatePostgres":
        """initdb, start, and an empty database NAME."""
        if os.geteuid() == 0:
            shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)
        self._as_postgres(
            "initdb",
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        self.start()
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{NAME}"')
        return self

    def dsn(self, database: str = NAME) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database} connect_timeout=2"

    def start(self) -> None:
        """Returns once the server accepts connections (pg_ctl -w)."""
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._as_postgres(
            "pg_ctl",
            "start",
            f"--pgdata={self.data}",
            f"--log={self.log}",
            "--wait",
            "--timeout=30",
            "-o",
            options,
        )

    def stop(self, mode: str = "fast") -> None:
        """fast: sessions are ended, transactions rolled back, then a clean shutdown. Returns once
        the server is gone."""
        self._as_postgres(
            "pg_ctl", "stop", f"--pgdata={self.data}", f"--mode={mode}", "--wait", "--timeout=30"
        )

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def up(self) -> bool:
        try:
            with psycopg.connect(self.dsn()) as connection:
                return connection.execute("SELECT 1").fetchone() == (1,)
        except psycopg.Error:
            return False

    def load_copy_of(self, database: dict) -> None:
        """Copy DATABASE (a Django settings_dict on the machine's PostgreSQL), schema and rows,
        into this cluster's database."""
        source = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
        dump = subprocess.Popen(
            [
                str(BIN / "pg_dump"),
                f"--host={database['HOST'] or '127.0.0.1'}",
                f"--port={database['PORT'] or 5432}",
                f"--username={database['USER']}",
                "--no-owner",
                "--no-privileges",
                database["NAME"],
            ],
            stdout=subprocess.PIPE,
            env=source,
        )
        subprocess.run(
            [
                str(BIN / "psql"),
                "--quiet",
                "--no-psqlrc",
                "--set=ON_ERROR_STOP=1",
                f"--dbname=postgres://postgres@127.0.0.1:{self.port}/{NAME}",
            ],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=120,
        )
        dump.stdout.close()
        assert dump.wait(timeout=60) == 0, "pg_dump of the test database failed"

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.dsn()) as connection:
            return connection.execute(sql, params).fetchall()

    def destroy(self) -> None:
        """Stops the server if it runs (immediate: nothing to keep), then removes its folder."""
        if self.running():
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                # pg_ctl could not stop it: its postmaster, by the id in its pid file.
                os.kill(int((self.data / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)
