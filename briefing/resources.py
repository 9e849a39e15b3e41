"""Where the prompts and brief templates are: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``prompts``, ``templates`` or ``fixtures``: the wheel's copy if installed, else the
    source tree's."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):  # wheel, checkout
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder next to the briefing package")
