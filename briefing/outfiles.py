"""Files under OUT that must never be seen half-written, and the lock that keeps two runs
from writing them at once.

Every write goes to a hidden temporary file beside its target and is renamed over it; a killed
run leaves at most ``.NAME.*.tmp`` files, which the next run removes (``clean_leftovers``). A
brief's formats change together (``publish``); ``archive`` lists the dated briefs for
``OUT/index.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from briefing.errors import BriefingError, ConfigError

TMP_SUFFIX = ".tmp"


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` (fsynced, mode 0644) and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the file from a web server's user
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------------- the lock


class OutBusy(BriefingError):
    """Another run holds the OUT folder; the message names it."""


LOCK_NAME = ".briefing.lock"
HOLDER_NAME = ".briefing.lock.holder"


@contextmanager
def hold(out: Path, wait: float = 0.0, what: str = "briefing run") -> Iterator[None]:
    """Hold OUT for this run: a real OS lock (``filelock``) that dies with its process.

    Raises ``OutBusy`` naming the holder when another run has it after ``wait`` seconds, and
    ``ConfigError`` when OUT cannot be created or written."""
    prepare_out(out)
    lock = FileLock(str(out / LOCK_NAME), timeout=wait if wait > 0 else 0)
    try:
        lock.acquire()
    except Timeout:
        raise OutBusy(f"{out} is in use by {_holder(out)}; --wait SECONDS waits for it") from None
    try:
        holder = f"{what} (pid {os.getpid()} on {socket.gethostname()}, since {_now()})"
        write_bytes_atomic(out / HOLDER_NAME, holder.encode("utf-8"))
        yield
    finally:
        (out / HOLDER_NAME).unlink(missing_ok=True)
        lock.release()


def prepare_out(out: Path) -> None:
    """Create OUT and check it takes files; an environment fault is a one-line ConfigError."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe.", suffix=TMP_SUFFIX):
            pass
    except OSError as exc:
        raise ConfigError(f"cannot write to --out {out}: {exc.strerror or exc}") from None


def _holder(out: Path) -> str:
    try:
        return (out / HOLDER_NAME).read_text(encoding="utf-8").strip() or "another run"
    except OSError:
        return "another run"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# ------------------------------------------------------------------ leftovers of killed runs


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed runs left: hidden ``*.tmp`` files anywhere under OUT (brief files,
    cache entries, symlinks) and brief versions no day points at. Call it holding the lock."""
    removed: list[Path] = []
    for path in sorted(out.rglob(f".*{TMP_SUFFIX}")):
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    store = out / STORE
    if store.is_dir():
        current = {os.readlink(p) for p in store.iterdir() if p.is_symlink()}
        for version in store.iterdir():
            if version.is_dir() and not version.is_symlink() and version.name not in current:
                shutil.rmtree(version, ignore_errors=True)
                removed.append(version)
    return removed


# ------------------------------------------------------------------- a brief's set of files

STORE = ".briefs"


def brief_stem(day: dt.date) -> str:
    return f"brief-{day.isoformat()}"


def publish(
    out: Path, day: dt.date, run_id: str, files: dict[str, str], listed: Sequence[str]
) -> list[Path]:
    """Make ``files`` (format → text) the day's brief, all of them at once; ``listed`` are the
    formats that get an ``OUT/brief-DAY.FMT`` (the JSON is always kept, to compare reruns).

    The texts go into a new version folder ``OUT/.briefs/brief-DAY.RUN/``; one atomic rename
    of the symlink ``OUT/.briefs/brief-DAY`` switches every format together; ``OUT/brief-DAY.FMT``
    are fixed symlinks through it. A run killed at any moment leaves the old set or the new one,
    never a mix. Returns the paths of the ``listed`` formats, in order."""
    stem = brief_stem(day)
    store = out / STORE
    version = store / f"{stem}.{run_id}"
    version.mkdir(parents=True, exist_ok=False)
    for fmt, text in files.items():
        write_bytes_atomic(version / f"{stem}.{fmt}", text.encode("utf-8"))
    _fsync_dir(version)
    current = store / stem
    previous = os.readlink(current) if current.is_symlink() else None
    _symlink_atomic(version.name, current)
    paths = []
    for fmt in listed:
        top = out / f"{stem}.{fmt}"
        target = f"{STORE}/{stem}/{stem}.{fmt}"
        if not (top.is_symlink() and os.readlink(top) == target):
            _symlink_atomic(target, top)
        paths.append(top)
    for stale in out.glob(f"{stem}.*"):  # a format this run did not write
        if stale.is_symlink() and stale not in paths:
            stale.unlink()
    if previous and previous != version.name:
        shutil.rmtree(store / previous, ignore_errors=True)
    return paths


def current_json(out: Path, day: dt.date) -> dict[str, Any] | None:
    """The day's brief as JSON, if one is on disk (from this layout or a plain file)."""
    stem = brief_stem(day)
    for path in (out / STORE / stem / f"{stem}.json", out / f"{stem}.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return data if isinstance(data, dict) else None
    return None


def _symlink_atomic(target: str, link: Path) -> None:
    tmp = link.parent / f".{link.name}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(link.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------- the archive

_DAY = re.compile(r"^brief-(\d{4}-\d{2}-\d{2})\.(md|html|json)$")


def archive(out: Path) -> list[tuple[str, list[str]]]:
    """Every dated brief under OUT, newest first: (day, [file names])."""
    days: dict[str, list[str]] = {}
    for path in out.iterdir():
        found = _DAY.match(path.name)
        if found and path.exists():
            days.setdefault(found.group(1), []).append(path.name)
    order = {"html": 0, "md": 1, "json": 2}
    return [
        (day, sorted(names, key=lambda n: order[n.rsplit(".", 1)[1]]))
        for day, names in sorted(days.items(), reverse=True)
    ]


def write_index(out: Path) -> Path:
    """``OUT/index.html``: every dated brief, newest first, from ``templates/index.html.j2``."""
    from briefing.render import environment

    page = environment().get_template("index.html.j2").render(days=archive(out))
    path = out / "index.html"
    write_bytes_atomic(path, page.encode("utf-8"))
    return path


def discard_stdout() -> None:
    """After a ``BrokenPipeError`` on stdout (its reader went away: ``briefing run … | head
    -1``), send the rest of stdout to the null device, so the interpreter's flush at exit
    does not fail again and the command ends with its own exit code."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
