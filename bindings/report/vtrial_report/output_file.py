"""Writing the page as vtrial writes its result files: to a temporary name beside the target,
renamed only when complete, and never over anything but an earlier report."""
import os
import stat
import tempfile

# Every page carries this in its head; an existing file without it is not ours to replace.
GENERATOR_MARK = '<meta name="generator" content="vtrial report">'


class OutputError(Exception):
    pass


def check_target(path):
    """Refuses, before any work, a target that is not absent or an earlier report."""
    if path in ("", "-"):
        raise OutputError("--output: give a file name (the report is a file, not a stream)")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: the directory {directory} does not exist")
    if os.path.lexists(path):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(f"refusing to replace {path}: a symbolic link, not a report vtrial wrote")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"refusing to replace {path}: not a regular file (a directory, device or pipe)")
        try:
            with open(path, "rb") as existing:
                head = existing.read(4096).decode("utf-8", "replace")
        except OSError as e:
            raise OutputError(f"refusing to replace {path}: cannot read it ({e.strerror})") from None
        if GENERATOR_MARK not in head:
            raise OutputError(f"refusing to replace {path}: it is not a report vtrial wrote")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the directory {directory} is not writable")


def write(path, text):
    check_target(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as e:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
        raise
