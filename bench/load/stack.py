"""A private Anjian stack for load and fault runs: PostgreSQL cluster, Redis, gunicorn, a Celery worker, locust.

Everything listens on 127.0.0.1 only, on free ports, and lives in one temporary directory. By default the stack
gets its own PostgreSQL cluster (pg_createcluster, dropped at the end) and its own redis-server, so restarting
or stopping them never disturbs anything else on the machine (another test suite, CI's services). Pass
`--pg-cluster main --pg-port 5432` to use an existing cluster instead: then only the database is created and
dropped, and the PostgreSQL fault restarts that cluster.

The code under test is a `git archive HEAD` snapshot by default (reproducible, and collectstatic and uploads stay
in the temporary directory); `--source DIR` runs another tree.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
DATABASE = "anjian_load"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=int, default=50, help="locust users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--minutes", type=float, default=10, help="load duration in minutes (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--source", help="tree to run (default: a git archive of HEAD)")
    parser.add_argument("--pg-version", help="PostgreSQL major version (default: the newest installed)")
    parser.add_argument("--pg-cluster", default="anjianload", help="cluster name (default: a private one)")
    parser.add_argument("--pg-port", type=int, help="cluster port (default: a free port)")
    parser.add_argument("--locust", default=shutil.which("locust") or "locust", help="locust executable")
    parser.add_argument("--out", help="directory for logs, CSV files and the write log (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="leave the stack running at the end (debugging)")


class Stack:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="anjian-load-"))
        self.out = Path(args.out).resolve() if args.out else self.tmp / "out"
        self.out.mkdir(parents=True, exist_ok=True)
        self.python = sys.executable
        self.pg_version = args.pg_version or sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
        self.pg_cluster = args.pg_cluster
        self.pg_port = args.pg_port or free_port()
        self.pg_created = False
        self.db_created = False
        self.redis_port = free_port()
        self.web_port = free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        self.src = Path(args.source).resolve() if args.source else None
        self.commit = ""

    # --- environment ------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            DEPLOYMENT="embedded",
            DEBUG="false",
            DATABASE_URL=f"postgres://postgres@{HOST}:{self.pg_port}/{DATABASE}",
            CELERY_BROKER_URL=f"redis://{HOST}:{self.redis_port}/0",
            CACHE_URL=f"redis://{HOST}:{self.redis_port}/1",
            MEDIA_ROOT=str(self.tmp / "media"),
            AUDIT_ARCHIVE_DIR=str(self.tmp / "audit-archive"),
            NOTIFY_SCAN_SECONDS="30",
            NOTIFY_DRAIN_SECONDS="15",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *argv, check=True):
        return subprocess.run(
            [self.python, "manage.py", *argv],
            cwd=self.src,
            env=self.env(),
            text=True,
            capture_output=True,
            check=check,
            timeout=900,
        )

    # --- services -----------------------------------------------------------------------------------------
    def start_postgres(self):
        clusters = run(["pg_lsclusters", "-h"]).stdout.split()
        if self.pg_cluster not in clusters:
            run(
                [
                    "pg_createcluster",
                    self.pg_version,
                    self.pg_cluster,
                    "-p",
                    str(self.pg_port),
                    "--start-conf",
                    "manual",
                    "--start",
                    "--",
                    "--auth=trust",
                ]
            )
            self.pg_created = True
        run(["createdb", "-h", HOST, "-p", str(self.pg_port), "-U", "postgres", DATABASE])
        self.db_created = True

    def restart_postgres(self):
        run(["pg_ctlcluster", self.pg_version, self.pg_cluster, "restart", "-m", "fast"])

    def redis_command(self):
        return [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            HOST,
            "--port",
            str(self.redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.tmp),
            "--pidfile",
            str(self.tmp / "redis.pid"),
            "--logfile",
            str(self.out / "redis.log"),
        ]

    def start_redis(self):
        run(self.redis_command())
        self.wait(lambda: self.redis_ping(), "redis")

    def stop_redis(self):
        subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.redis_port), "shutdown", "nosave"],
            capture_output=True,
            timeout=30,
        )
        self.wait(lambda: not self.redis_ping(), "redis to stop")

    def redis_ping(self) -> bool:
        r = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.redis_port), "ping"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return r.stdout.strip() == "PONG"

    # --- the application ----------------------------------------------------------------------------------
    def prepare_source(self):
        if self.src is None:
            self.src = self.tmp / "src"
            self.src.mkdir()
            self.commit = run(["git", "rev-parse", "HEAD"], cwd=REPO).stdout.strip()
            archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(self.src)], input=archive.stdout, check=True)

    def load_demo_data(self):
        self.manage("migrate", "--no-input", "-v0")
        self.manage("demo_data")
        self.manage("collectstatic", "--no-input", "-v0")

    def start_web(self):
        with open(self.out / "gunicorn.log", "a") as log:
            self.procs["gunicorn"] = subprocess.Popen(
                [
                    self.python,
                    "-m",
                    "gunicorn",
                    "anjian.wsgi",
                    "--workers",
                    str(self.args.workers),
                    "--bind",
                    f"{HOST}:{self.web_port}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "10",
                    "--access-logfile",
                    str(self.out / "access.log"),
                    "--access-logformat",
                    '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
                ],
                cwd=self.src,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait(lambda: self.http_ok("/healthz"), "gunicorn")

    def start_worker(self):
        with open(self.out / "celery.log", "a") as log:
            self.procs["celery"] = subprocess.Popen(
                [
                    self.python,
                    "-m",
                    "celery",
                    "-A",
                    "anjian",
                    "worker",
                    "--beat",
                    "--concurrency",
                    "1",
                    "--schedule",
                    str(self.tmp / "celerybeat-schedule"),
                    "--loglevel",
                    "INFO",
                ],
                cwd=self.src,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill_worker(self):
        """SIGKILL the worker's whole process group: no warm shutdown, as when a machine dies."""
        proc = self.procs.pop("celery", None)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    def http_ok(self, path) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as r:
                return r.status == 200
        except Exception:
            return False

    def wait(self, ready, what, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"timed out waiting for {what}")

    # --- load ---------------------------------------------------------------------------------------------
    def start_all(self):
        """Source, PostgreSQL, Redis, demo data, gunicorn and the worker, in that order; says where each is."""
        print(f"stack in {self.tmp}; results in {self.out}", flush=True)
        self.prepare_source()
        self.start_postgres()
        self.start_redis()
        self.load_demo_data()
        self.start_web()
        self.start_worker()
        print(
            f"gunicorn {self.url} ({self.args.workers} workers), PostgreSQL {self.pg_version}/{self.pg_cluster}"
            f" port {self.pg_port}, Redis port {self.redis_port}; source {self.commit or self.src}",
            flush=True,
        )

    def start_locust(self) -> subprocess.Popen:
        env = self.env()
        env["LOAD_WRITE_LOG"] = str(self.out / "writes.jsonl")
        seconds = int(self.args.minutes * 60)
        cmd = [
            self.args.locust,
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--host",
            self.url,
            "-u",
            str(self.args.users),
            "-r",
            str(self.args.spawn_rate),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(self.out / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        with open(self.out / "locust.log", "a") as log:
            self.procs["locust"] = subprocess.Popen(
                cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self.procs["locust"]

    # --- teardown -----------------------------------------------------------------------------------------
    def stop(self):
        for name in ("locust", "celery", "gunicorn"):
            proc = self.procs.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if self.redis_ping():
            self.stop_redis()
        if self.db_created:
            subprocess.run(
                [
                    "dropdb",
                    "--if-exists",
                    "--force",
                    "-h",
                    HOST,
                    "-p",
                    str(self.pg_port),
                    "-U",
                    "postgres",
                    DATABASE,
                ],
                capture_output=True,
                timeout=120,
            )
        if self.pg_created:
            subprocess.run(
                ["pg_dropcluster", "--stop", self.pg_version, self.pg_cluster],
                capture_output=True,
                timeout=120,
            )
        if self.out.is_relative_to(self.tmp):
            shutil.rmtree(self.tmp / "src", ignore_errors=True)
            shutil.rmtree(self.tmp / "media", ignore_errors=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
