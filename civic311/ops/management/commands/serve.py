"""Production serving: gunicorn for the web, the tasks worker and the periodic jobs, supervised together.

The web workers are gunicorn's threaded (gthread) workers: a client that sends its request slowly
holds one thread, not a whole worker, so a few slow clients cannot stop the others (or the load
balancer's /healthz) being answered. Many slow clients are a proxy's job: docs/deployment.md puts a
buffering proxy in front.

Either process exiting stops the other, so a process manager (systemd, a container runtime) sees
the failure and restarts the pair; SIGTERM and SIGINT stop both cleanly.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civic311.lib.stopping import StopFlag


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and the background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8311, help="Port (default 8311).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2).")
        parser.add_argument(
            "--threads", type=int, default=8, help="Request threads in each worker process (default 8)."
        )
        parser.add_argument(
            "--no-task-worker", action="store_true", help="Do not start the task worker and periodic jobs here."
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, threads: int, no_task_worker: bool, **options: Any
    ) -> None:
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port (1-65535).")
        if not 1 <= workers <= 64:
            raise CommandError("--workers must be between 1 and 64.")
        if not 1 <= threads <= 256:
            raise CommandError("--threads must be between 1 and 256.")
        call_command("collectstatic", interactive=False, verbosity=0)
        web = [
            sys.executable, "-m", "gunicorn", "civic311.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--access-logfile", "-", "--timeout", "60", "--graceful-timeout", "10",
        ]  # fmt: skip
        procs = [subprocess.Popen(web)]  # noqa: S603 (our own interpreter and arguments)
        if not no_task_worker:
            worker = [sys.executable, "-m", "civic311", "db_worker", "--no-reload", "--interval", "1"]
            procs.append(subprocess.Popen(worker))  # noqa: S603
            periodic = [sys.executable, "-m", "civic311", "run_periodic", "--every", "30"]
            procs.append(subprocess.Popen(periodic))  # noqa: S603
        self.stdout.write(f"civic311 is serving http://{host}:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        stopping = StopFlag()
        code = 0
        while not stopping:
            ended = [p for p in procs if p.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                break
            time.sleep(0.5)
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if code and not stopping:
            raise CommandError(f"a server process exited with status {code}; stopped.")
