"""Run one command and measure its wall time and the peak memory of its whole process tree.

Standard library only. Why a /proc sampler: the jsii runtime is a child of the Python
process (python -> node jsii-runtime.js -> node program.js), and both halves grow to
hundreds of MB. `getrusage(RUSAGE_CHILDREN).ru_maxrss` (and `wait4`'s rusage) only know
the largest *single* process, so the tree's peak is measured here by summing the
resident set size (VmRSS, from /proc/<pid>/statm) of the root and every descendant,
every `interval` seconds, and keeping the largest sum.

What that number is: the peak of "RSS summed over the tree" at the sampled instants.
Pages shared between processes (the node binary and libraries of the two node
processes) count once per process, as `ps` or `top` would show them; a peak shorter
than the interval can be missed. The largest single process (`wait4`) is recorded too,
as a cross-check that needs no sampling.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    """One run: wall seconds, peak tree RSS (bytes), largest single process (bytes), exit code."""

    wall_s: float
    peak_tree_rss: int
    max_single_rss: int
    cpu_s: float
    processes: int
    returncode: int


def _children(pid: int) -> list[int]:
    """Direct children of every thread of `pid` (/proc/<pid>/task/<tid>/children)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _children_by_scan(pid: int) -> list[int]:
    """Fallback where the `children` file is missing (kernels without CONFIG_PROC_CHILDREN)."""
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


_HAS_CHILDREN_FILE = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


def tree(root: int) -> list[int]:
    """`root` and all its descendants alive now."""
    children = _children if _HAS_CHILDREN_FILE else _children_by_scan
    pids = [root]
    index = 0
    while index < len(pids):
        pids.extend(children(pids[index]))
        index += 1
    return pids


def rss(pid: int) -> int:
    """Resident set size of one process in bytes, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _Sampler(threading.Thread):
    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak = 0
        self.seen: set[int] = set()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = tree(self.root)
            self.seen.update(pids)
            self.peak = max(self.peak, sum(rss(pid) for pid in pids))
            self.done.wait(self.interval)


def run(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    interval: float,
    stdout: Path,
    timeout: float,
) -> Measurement:
    """Run `command` to completion, output (both streams) to the file `stdout`."""
    with open(stdout, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
        sampler = _Sampler(process.pid, interval)
        sampler.start()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            # wait4, not Popen.wait: it also returns the child's rusage (its max RSS and CPU,
            # which include the descendants it waited for).
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            wall = time.perf_counter() - start
            timer.cancel()
            sampler.done.set()
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(
        wall_s=wall,
        peak_tree_rss=sampler.peak,
        max_single_rss=usage.ru_maxrss * 1024,
        cpu_s=usage.ru_utime + usage.ru_stime,
        processes=len(sampler.seen),
        returncode=process.returncode,
    )
