"""Writing outputs so that a reader never finds a half-written file, even after a crash or a kill.

Every output goes through `write_atomically`: the bytes go to a temporary file beside the output,
named `.<name>.<pid>.<random>.tmp`, which is flushed to disk and then renamed over the output. A
build killed at any moment leaves the previous output whole; at worst it leaves its temporary file.
`remove_stale_temp_files` removes those at the start of the next build, and only those whose writer
is dead: a build running at the same time into the same folder keeps its own.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_TEMP = re.compile(r"^\..+\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp$")
"""The name of a temporary file `write_atomically` makes: `.<name>.<writer's pid>.<8 hex>.tmp`."""


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    The rename is atomic on POSIX: the old output stays whole until the new one is complete. The
    fsync before it makes sure the new name never points at data still in the page cache (after a
    power cut, a renamed but unflushed file can be empty); the fsync of the folder after it makes the
    rename itself survive one.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        try:
            os.fchmod(fd, 0o644)  # whatever the umask: outputs are for everyone to read
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the file itself is already on disk
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temporary files in `folder` (and below) left by a build that was killed.

    Only files named the way `write_atomically` names them are touched, and only when the process
    named in the file name is no longer running: another build writing into the same folder at the
    same time keeps its temporary files. Returns what was removed.
    """
    removed = []
    if not folder.is_dir():
        return removed
    for candidate in folder.rglob(".*.tmp"):
        match = _TEMP.match(candidate.name)
        if not match or not candidate.is_file() or _running(int(match["pid"])):
            continue
        candidate.unlink(missing_ok=True)  # missing: another build removed it first
        removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    """Whether a process `pid` exists on this machine (a zombie, killed but not yet reaped, does not count)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OverflowError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): trust kill()
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
