"""The warm build for `make bench`: `pipeline serve` running beside the builds, as an author has it.

While it runs, `pipeline build` into its build folder is made in its process (pipeline/build/warm.py).
The bench starts it, waits until it serves, and stops it by its process id; it reads the peak memory
of the server and of each of its workers from /proc before stopping them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

from bench.measure import PYTHON, BenchError, descendants, peak_kb

START_SECONDS = 600
"""A serve's first build makes every web page of the catalogue: minutes at N = 200 on a slow machine."""


class Serve:
    def __init__(self, source: Path, builddir: Path, env: dict[str, str], log: Path, cwd: Path) -> None:
        command = [PYTHON, "-m", "pipeline", "serve", "--source-dir", str(source), "--builddir", str(builddir), "--port", "0", "--no-open"]
        self.log = log.open("ab")
        self.process = subprocess.Popen(command, cwd=cwd, env={**env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        timer = threading.Timer(START_SECONDS, self.process.kill)
        timer.start()
        try:
            for line in self.process.stdout:
                self.log.write(line)
                if line.startswith(b"Serving"):
                    break
            else:
                raise BenchError("'pipeline serve' ended before it served", f"Its output is in {log}.")
        finally:
            timer.cancel()
        threading.Thread(target=self._copy_output, daemon=True).start()

    def _copy_output(self) -> None:
        for line in self.process.stdout:
            self.log.write(line)

    def peak_mb(self) -> float:
        """The largest peak resident memory of the server and each of its workers (VmHWM), in MB."""
        return max(peak_kb(pid) for pid in [self.process.pid, *descendants(self.process.pid)]) / 1024

    def __enter__(self) -> Serve:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

