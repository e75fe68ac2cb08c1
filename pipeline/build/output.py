"""Writing outputs so that a reader never finds a half-written file, even after a crash or a kill.

Every output goes through `write_atomically`: the bytes go to a temporary file beside the output,
named `.<name>.<pid>.<random>.tmp`, which is flushed to disk and then renamed over the output. A
build killed at any moment leaves the previous output whole; at worst it leaves its temporary file.
`remove_stale_temp_files` removes those at the start of the next build, and only those whose writer
is dead: a build running at the same time into the same folder keeps its own.

A file that cannot be written (the disk is full or read-only, the folder is not ours, a folder on
the way is a file or a loop of symbolic links) is one `CannotWrite` error naming it, why and what to
do, never a bare OSError; its temporary file is removed and the old output, if any, stays whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

from ..errors import CannotWrite

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
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise cannot_write(path, error) from None
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
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(path, error) from None
        raise
    _fsync_folder(path.parent)
    return path


_ELSEWHERE = "or write somewhere else (to build elsewhere: --builddir DIR, or make BUILDDIR=DIR)."


def cannot_write(path: Path, error: OSError) -> CannotWrite:
    """The error for `path`, which the system refused to write with `error`: why, in words, and what to do."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        why, hint = "the disk is full", "Free some space on the disk that holds it, then run the command again."
    elif error.errno == errno.EROFS:
        why, hint = "the disk is read-only", f"Mount it writable, {_ELSEWHERE}"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why, hint = "permission denied", f"Make the folder writable for you, {_ELSEWHERE}"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST, errno.ELOOP) and (blocker := _blocker(path)):
        kind = "a symbolic link that leads back to itself" if error.errno == errno.ELOOP else "a file, not a folder"
        why, hint = f"{blocker} is {kind}", f"Move or remove it, {_ELSEWHERE}"
    elif error.errno == errno.EISDIR:
        why, hint = "a folder has its name", f"Move or remove the folder, {_ELSEWHERE}"
    else:
        why, hint = (error.strerror or str(error)).lower(), f"Check the folder, {_ELSEWHERE}"
    return CannotWrite(f"cannot be written: {why}", path, hint=hint[0].upper() + hint[1:])


def _blocker(path: Path) -> Path | None:
    """The first folder on the way to `path` that is not one: a file, or a loop of symbolic links."""
    for folder in reversed(path.parents):
        try:
            if not stat.S_ISDIR(os.stat(folder).st_mode):
                return folder
        except OSError as error:
            return folder if error.errno == errno.ELOOP else None
    return None


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
    try:
        for candidate in folder.rglob(".*.tmp"):
            match = _TEMP.match(candidate.name)
            if not match or not candidate.is_file() or _running(int(match["pid"])):
                continue
            candidate.unlink(missing_ok=True)  # missing: another build removed it first
            removed.append(candidate)
    except OSError as error:  # a folder not ours to read, or on a read-only disk: nothing will be written
        raise cannot_write(Path(error.filename) if error.filename else folder, error) from None
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
