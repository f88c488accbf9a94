"""Pytest fixtures for running Terraform offline on synthesized stacks (see ``harness.py``).

``tests/terraform/conftest.py`` imports them; a conftest elsewhere in the suite
can do the same to run its own stacks through Terraform::

    from tests.terraform.plugin import terraform_stack, terraform_toolchain  # noqa: F401

Also here: the suite's slow jobs (the two `npx cdktf synth` runs, Terraform on
every synthesized stack) on a background thread pool, started as early as their
inputs allow (`Background`, `prefetch`; see "Slow work in the background").
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

import pytest

from tests.terraform.harness import (
    STACK_FILE,
    Diagnostic,
    Terraform,
    TerraformError,
    Toolchain,
    build_toolchain,
    local_backend_copy,
)

_toolchains: list[Toolchain] = []
_toolchain_lock = threading.Lock()
_TOOLCHAIN = pytest.StashKey[Toolchain]()


def session_toolchain(config: pytest.Config) -> Toolchain:
    """The session's one toolchain, for fixtures and background jobs alike (thread-safe)."""
    with _toolchain_lock:
        if _TOOLCHAIN not in config.stash:
            # What the `tmp_path_factory` fixture returns; reachable here before any fixture runs.
            tmp_path_factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
            config.stash[_TOOLCHAIN] = build_toolchain(tmp_path_factory.mktemp("terraform-toolchain"))
            _toolchains.append(config.stash[_TOOLCHAIN])
        return config.stash[_TOOLCHAIN]


@pytest.fixture(scope="session")
def terraform_toolchain(request: pytest.FixtureRequest) -> Toolchain:
    """Stand-in providers, CLI configuration and ``terraform`` launcher, generated once per session."""
    return session_toolchain(request.config)


StackFactory = Callable[[Path], Terraform]


@pytest.fixture(scope="session")
def terraform_stack(terraform_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> StackFactory:
    """Make a ``Terraform`` on a local-backend copy of a stack folder (not initialised).

    Each call copies, so a test may change the copy's ``cdk.tf.json`` freely.
    """

    def make(stack_dir: Path) -> Terraform:
        dest = tmp_path_factory.mktemp(stack_dir.name, numbered=True) / "stack"
        return Terraform(local_backend_copy(stack_dir, dest), terraform_toolchain)

    return make


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With ``-v``: how many Terraform commands ran, and how long each kind took."""
    if terminalreporter.config.option.verbose <= 0:
        return
    results = [result for toolchain in _toolchains for result in toolchain.history]
    if not results:
        return
    by_command: dict[str, list[float]] = defaultdict(list)
    for result in results:
        by_command[" ".join(a for a in result.args[:2] if not a.startswith("-"))].append(result.seconds)
    terminalreporter.section("terraform command timings")
    for command, seconds in sorted(by_command.items()):
        terminalreporter.write_line(
            f"{command:<22} x{len(seconds):<3} mean {sum(seconds) / len(seconds):5.2f}s  max {max(seconds):5.2f}s"
        )
    terminalreporter.write_line(f"{'total':<22} x{len(results):<3} {sum(r.seconds for r in results):6.2f}s")



# ----------------------------------------------------------------------------
# Slow work in the background: the cdktf CLI and Terraform on every stack
# ----------------------------------------------------------------------------
#
# A `cdktf synth` takes ~20 s and Terraform ~2 s per stack, mostly in single-threaded
# Node and provider processes, while the rest of the suite keeps about one core busy.
# So these jobs run on a small thread pool (`Background`) and start as soon as their
# inputs exist: the CLI runs when collection ends, Terraform on the synthesized stacks
# right after `example_synth` / `full_synth` (see `prefetch`). The fixtures that need
# them wait on the same jobs, so a test gets the same result either way; with nothing
# prefetched (e.g. one file run alone) a job simply starts when its fixture asks.
#
# The early start needs `pytest_collection_finish` below registered for the whole
# session: tests/checkov/conftest.py imports it (that folder is collected first).

REPO = Path(__file__).resolve().parents[2]
FULL_CONFIG = Path("tests") / "configs" / "full.yaml"
CLI_TIMEOUT_SECONDS = 300
_BACKGROUND = pytest.StashKey["Background"]()
# Background processes yield the CPU to the tests in the foreground (CI has two cores):
# they use what the foreground leaves idle, and run at full speed once it waits on them.
NICE: tuple[str, ...] = ("nice", "-n", "10") if shutil.which("nice") else ()


class Background:
    """A small thread pool for slow jobs, each started once per key and shared."""

    def __init__(self, config: pytest.Config, workers: int = 2) -> None:
        # 2: on CI's two cores, more jobs at once only slow the tests in the foreground.
        self.config = config
        self.tmp_path_factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background")
        self._jobs: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[str]] = set()

    def job(self, key: Hashable, start: Callable[[], Callable[[], Any]]) -> Future[Any]:
        """The job for `key`; the first call runs `start()` here (to make folders, say)
        and the callable it returns in the pool."""
        with self._lock:
            if key not in self._jobs:
                self._jobs[key] = self._pool.submit(start())
            return self._jobs[key]

    def after(
        self, key: Hashable, upstream: Future[Any], start: Callable[[Any], Callable[[], Any]]
    ) -> Future[Any]:
        """The job for `key`, started once `upstream` is done: `start(upstream's result)` makes
        the callable for the pool. Nothing waits in the meantime."""
        with self._lock:
            if key in self._jobs:
                return self._jobs[key]
            chained: Future[Any] = Future()
            self._jobs[key] = chained

        def upstream_done(done: Future[Any]) -> None:
            try:
                work = self._pool.submit(start(done.result()))
            except BaseException as error:  # upstream failed, or the session is over
                chained.set_exception(error)
                return
            work.add_done_callback(lambda finished: _pass_on(finished, chained))

        upstream.add_done_callback(upstream_done)
        return chained

    def toolchain(self) -> Toolchain:
        """The session's toolchain, its Terraform (and the providers it starts) run `nice`."""
        toolchain = session_toolchain(self.config)
        return dataclasses.replace(toolchain, terraform_command=(*NICE, *toolchain.terraform_command))

    def run(self, argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, float]:
        """Run a command `nice` to completion (its own session, killed with its children on timeout
        or at the end of the test session): exit status, stdout and stderr merged, seconds."""
        started = time.perf_counter()
        with subprocess.Popen(
            [*NICE, *argv],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        ) as process:
            self._processes.add(process)
            try:
                output, _ = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                output, _ = process.communicate()
                output += f"\n(killed after {timeout:.0f}s)"
            finally:
                self._processes.discard(process)
        return process.returncode, output, time.perf_counter() - started

    def close(self) -> None:
        for process in list(self._processes):
            _kill(process)
        self._pool.shutdown(wait=False, cancel_futures=True)


def _pass_on(finished: Future[Any], chained: Future[Any]) -> None:
    if finished.exception() is not None:
        chained.set_exception(finished.exception())
    else:
        chained.set_result(finished.result())


def _kill(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def background_of(config: pytest.Config) -> Background:
    if _BACKGROUND not in config.stash:
        config.stash[_BACKGROUND] = Background(config)
        config.add_cleanup(config.stash[_BACKGROUND].close)
    return config.stash[_BACKGROUND]


# ---- Terraform on every synthesized stack ----------------------------------


@dataclass(frozen=True)
class StackRun:
    """`terraform validate` of a stack folder as synthesized, and `init` + `plan` of a copy
    with local state (`local_backend_copy`)."""

    validation: tuple[bool, list[Diagnostic]]
    plan: Optional[dict[str, Any]]  # `terraform show -json` of the plan; None when it failed
    plan_error: str = ""


def run_stack(stack_dir: Path, workdir: Path, toolchain: Toolchain) -> StackRun:
    as_synthesized = workdir / "validate"
    shutil.copytree(stack_dir, as_synthesized)
    validation = Terraform(as_synthesized, toolchain).validate()
    terraform = Terraform(local_backend_copy(stack_dir, workdir / "plan"), toolchain)
    try:
        terraform.init()
        return StackRun(validation, terraform.plan())
    except TerraformError as error:
        return StackRun(validation, None, str(error))


def stack_run_jobs(config: pytest.Config, outdir: Path) -> dict[str, Future[StackRun]]:
    """One job per stack folder of a synthesized output (`<outdir>/stacks/<stack>`)."""
    background = background_of(config)
    jobs = {}
    for stack_file in sorted((outdir / "stacks").glob(f"*/{STACK_FILE}")):
        stack_dir = stack_file.parent

        def start(stack_dir: Path = stack_dir) -> Callable[[], StackRun]:
            workdir = background.tmp_path_factory.mktemp(f"stack-{stack_dir.name}")
            toolchain = background.toolchain()
            return lambda: run_stack(stack_dir, workdir, toolchain)

        jobs[stack_dir.name] = background.job(("terraform", stack_dir), start)
    return jobs


# ---- the cdktf CLI ---------------------------------------------------------


@dataclass(frozen=True)
class CliSynth:
    """One `npx cdktf synth` in a copy of the checkout."""

    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float
    outdir: Path  # <copy>/cdktf.out

    def describe(self) -> str:
        return f"`npx cdktf {' '.join(self.args)}` exited {self.returncode} after {self.seconds:.1f}s:\n{self.output}"


def copy_working_tree(dest: Path) -> None:
    """Every file git tracks or would track (not ignored), as on disk now, uncommitted edits included."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    for raw in listed.stdout.split(b"\0"):
        source = REPO / os.fsdecode(raw)
        if raw and source.is_file():  # not: tracked but deleted in the working tree
            target = dest / os.fsdecode(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def cdktf_synth(
    background: Background, toolchain: Toolchain, root: Path, args: tuple[str, ...], config_file: Optional[Path]
) -> CliSynth:
    """`npx cdktf synth ARGS` as a user runs it in a fresh checkout (`.venv` and `node_modules`
    linked), on `config_file` (relative to the checkout; None: the app's default)."""
    copy_working_tree(root)
    for installed in (".venv", "node_modules"):
        (root / installed).symlink_to(REPO / installed, target_is_directory=True)
    env = toolchain.env()  # CHECKPOINT_DISABLE=1: no call to checkpoint-api.hashicorp.com
    for name in list(env):
        if name.startswith(("CDKTF_", "MODEL_REGISTRY_")) or name == "SYNTH_HCL_OUTPUT":
            del env[name]
    env.update(
        CI="1",
        NO_COLOR="1",
        FORCE_COLOR="0",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
        # cdktf checks `terraform version` for a `cloud` block: the offline one answers.
        TERRAFORM_BINARY_NAME=toolchain.terraform_command[0],
    )
    if config_file is not None:
        env["MODEL_REGISTRY_CONFIG"] = str(root / config_file)
    full_args = ("synth", *args)
    returncode, output, seconds = background.run(
        ["npx", "--no", "--", "cdktf", *full_args], cwd=root, env=env, timeout=CLI_TIMEOUT_SECONDS
    )
    return CliSynth(full_args, returncode, output, seconds, root / "cdktf.out")


# fixture name -> (extra arguments, config file): the suite's only two CLI runs.
CLI_SYNTHS: dict[str, tuple[tuple[str, ...], Optional[Path]]] = {
    "cdktf_synth_json": ((), None),  # cdktf.json's app on its default, the example config
    "cdktf_synth_hcl": (("--hcl",), FULL_CONFIG),  # every option: where HCL rendering can go wrong
}


def cli_synth_job(config: pytest.Config, fixture: str) -> Future[CliSynth]:
    background = background_of(config)
    args, config_file = CLI_SYNTHS[fixture]

    def start() -> Callable[[], CliSynth]:
        root = background.tmp_path_factory.mktemp(fixture) / "repo"
        toolchain = session_toolchain(config)  # `run` adds the nice
        return lambda: cdktf_synth(background, toolchain, root, args, config_file)

    return background.job(("cdktf", fixture), start)


def _cli_synth(request: pytest.FixtureRequest, fixture: str) -> CliSynth:
    # Not prefetched (no collection hook): still both at once when both are wanted.
    for other in CLI_SYNTHS:
        if any(other in getattr(item, "fixturenames", ()) for item in request.session.items):
            cli_synth_job(request.config, other)
    result: CliSynth = cli_synth_job(request.config, fixture).result()
    return result


@pytest.fixture(scope="session")
def cdktf_synth_json(request: pytest.FixtureRequest) -> CliSynth:
    """`npx cdktf synth` (JSON) of the example config, from a copy of the checkout."""
    return _cli_synth(request, "cdktf_synth_json")


@pytest.fixture(scope="session")
def cdktf_synth_hcl(request: pytest.FixtureRequest) -> CliSynth:
    """`npx cdktf synth --hcl` of tests/configs/full.yaml, from a copy of the checkout."""
    return _cli_synth(request, "cdktf_synth_hcl")


# ---- the early start ---------------------------------------------------------


@dataclass(frozen=True)
class _Prefetchable:
    wanted_by: str  # the fixture whose tests need the job
    after: Optional[str]  # the fixture whose value the job needs; None: nothing, start at once
    start: Callable[[pytest.Config, Any], object]


_PREFETCHABLE: list[_Prefetchable] = []
_WANTED = pytest.StashKey[set[str]]()
StartFn = TypeVar("StartFn", bound=Callable[[pytest.Config, Any], object])


def prefetch(wanted_by: str, *, after: Optional[str] = None) -> Callable[[StartFn], StartFn]:
    """Register `start(config, value)` to run as early as possible when a selected test uses the
    fixture `wanted_by`: when collection ends, or right after the fixture `after` is set up (with
    its value). `start` should only start background jobs, with the keys the fixture later waits on."""

    def register(start: StartFn) -> StartFn:
        _PREFETCHABLE.append(_Prefetchable(wanted_by, after, start))
        return start

    return register


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start what the selected tests need and nothing else feeds; watch fixtures for the rest."""
    if session.config.option.collectonly:
        return
    wanted = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    session.config.stash[_WANTED] = wanted
    for entry in _PREFETCHABLE:
        if entry.wanted_by in wanted and entry.after is None:
            _try_start(entry, session.config, None)
    if not session.config.pluginmanager.has_plugin(_Prefetch.NAME):
        session.config.pluginmanager.register(_Prefetch(), _Prefetch.NAME)


class _Prefetch:
    """Runs the registered starts that wait for a fixture, right after it is set up."""

    NAME = "model-registry-prefetch"

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Any:
        result = yield
        wanted = request.config.stash.get(_WANTED, set())
        for entry in _PREFETCHABLE:
            if entry.after == fixturedef.argname and entry.wanted_by in wanted:
                _try_start(entry, request.config, result)
        return result


def _try_start(entry: _Prefetchable, config: pytest.Config, value: Any) -> None:
    try:
        entry.start(config, value)
    except Exception:  # e.g. a failed synth: the fixture that wants the job reports it
        pass


def _start_cli_synth(fixture: str) -> Callable[[pytest.Config, Any], None]:
    def start(config: pytest.Config, _: Any) -> None:
        cli_synth_job(config, fixture)

    return start


for _fixture in CLI_SYNTHS:
    prefetch(_fixture)(_start_cli_synth(_fixture))
