"""The supported PyTorch versions, and the ``<!-- torch: ... -->`` specs that pages write.

The one place they are declared is ``requirements/torch-versions.txt`` (one release per
line, oldest first). The newest is *latest*: ``requirements/torch.txt`` pins it for
``make test`` and ``make serve``, and mike publishes it under the alias ``latest``.

Where a block prints something else on some versions, the page carries one block per
output, each preceded by a spec naming the versions it is true for::

    <!-- torch: 2.11-2.14 -->
    ```python
    >>> torch.ones(2, 3) @ torch.ones(2, 3)
    ...
    ```
    <!-- torch: 2.15 -->
    ```python
    ...
    ```

A spec is a comma- or space-separated list of versions (``2.13``) and inclusive
ranges over the supported list (``2.11-2.14``).
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib import metadata
from pathlib import Path

from . import REPO_ROOT

VERSIONS_FILE = REPO_ROOT / "requirements" / "torch-versions.txt"
LATEST_PIN_FILE = REPO_ROOT / "requirements" / "torch.txt"
# The second version that `make test` really builds beside the latest, so the browser tests switch
# between two real sites: 2.13, whose CPU build installs quickly on the project's machines.
TEST_SECOND_VERSION = os.environ.get("SITEKIT_SECOND_VERSION", "2.13")
# Set by `make drift`: run a torch release that is not (yet) supported, as if it were the latest.
DRIFT_ENV = "SITEKIT_DRIFT"

_RELEASE_RE = re.compile(r"^(?P<minor>\d+\.\d+)\.\d+(?:\S*)$")
_ITEM_RE = re.compile(r"^(?P<first>\d+\.\d+)(?:-(?P<last>\d+\.\d+))?$")


class VersionError(ValueError):
    """A spec names a version outside the supported list, or is malformed."""


def minor_of(release: str) -> str:
    """``"2.15.0+cu132"`` -> ``"2.15"``."""
    match = re.match(r"^(\d+)\.(\d+)", release)
    if not match:
        raise VersionError(f"'{release}' is not a PyTorch version")
    return f"{match.group(1)}.{match.group(2)}"


def key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in minor_of(version).split("."))


@cache
def releases(path: Path = VERSIONS_FILE) -> dict[str, str]:
    """``{"2.11": "2.11.0", ...}`` in order, oldest first."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _RELEASE_RE.match(line)
        if not match:
            raise VersionError(f"{path}:{number}: '{line}' is not a release like 2.15.0")
        found[match.group("minor")] = line
    return dict(sorted(found.items(), key=lambda item: key(item[0])))


def supported() -> tuple[str, ...]:
    return tuple(releases())


def latest() -> str:
    return supported()[-1]


def pinned_release(path: Path = LATEST_PIN_FILE) -> str:
    """The torch release that ``requirements/torch.txt`` pins (``make test`` runs it)."""
    match = re.search(r"^torch==(\S+)\s*$", path.read_text(encoding="utf-8"), re.M)
    if not match:
        raise VersionError(f"{path}: no 'torch==X.Y.Z' pin found")
    return match.group(1)


def installed_release() -> str | None:
    """The installed torch's version string (without importing torch), or None."""
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def running() -> str:
    """The version whose outputs the installed torch must print.

    A supported version is itself. Under ``make drift`` (``SITEKIT_DRIFT=1``) a release
    outside the list stands in for the nearest supported one (the latest, for a new
    release), so the report shows exactly what it prints differently. Otherwise an
    unsupported torch is an error naming the list.
    """
    release = installed_release()
    if release is None:
        raise VersionError("torch is not installed")
    version = minor_of(release)
    if version in supported():
        return version
    if os.environ.get(DRIFT_ENV):
        return stand_in(version)
    raise VersionError(
        f"torch {release} is not a supported version ({', '.join(supported())}; "
        f"{VERSIONS_FILE.relative_to(REPO_ROOT)}). To check a new release, run `make drift TORCH={release}`."
    )


def stand_in(version: str) -> str:
    """The supported version whose outputs an unsupported one is checked against: the nearest end of the list."""
    return latest() if key(version) > key(latest()) else supported()[0]


def parse_spec(spec: str, allowed: tuple[str, ...] | None = None) -> frozenset[str]:
    """``"2.11-2.13, 2.15"`` -> ``{"2.11", "2.12", "2.13", "2.15"}``; unknown versions raise."""
    allowed = allowed or supported()
    items = [item for item in re.split(r"[,\s]+", spec.strip()) if item]
    if not items:
        raise VersionError("empty torch spec: name the versions, e.g. <!-- torch: 2.11-2.14 -->")
    chosen: set[str] = set()
    for item in items:
        match = _ITEM_RE.match(item)
        if not match:
            raise VersionError(f"'{item}' is not a version (2.15) or a range (2.11-2.14)")
        first, last = match.group("first"), match.group("last") or match.group("first")
        for end in (first, last):
            if end not in allowed:
                raise VersionError(f"{end} is not a supported version ({', '.join(allowed)})")
        if key(first) > key(last):
            raise VersionError(f"range '{item}' runs backwards")
        chosen.update(v for v in allowed if key(first) <= key(v) <= key(last))
    return frozenset(chosen)


def runs(versions: frozenset[str] | set[str], allowed: tuple[str, ...] | None = None) -> list[list[str]]:
    """Contiguous runs over the supported list: {2.11, 2.12, 2.15} -> [[2.11, 2.12], [2.15]]."""
    allowed = allowed or supported()
    groups: list[list[str]] = []
    previous = None
    for index, version in enumerate(allowed):
        if version not in versions:
            continue
        if previous is not None and previous == index - 1:
            groups[-1].append(version)
        else:
            groups.append([version])
        previous = index
    return groups


def format_spec(versions: frozenset[str] | set[str], allowed: tuple[str, ...] | None = None) -> str:
    """The spec a page writes: ``2.11-2.14`` or ``2.11-2.12, 2.15``."""
    return ", ".join(g[0] if len(g) == 1 else f"{g[0]}-{g[-1]}" for g in runs(versions, allowed))


def label(versions: frozenset[str] | set[str], allowed: tuple[str, ...] | None = None) -> str:
    """What a reader sees: ``2.11–2.14`` (en dash) or ``2.11–2.12, 2.15``."""
    return ", ".join(g[0] if len(g) == 1 else f"{g[0]}–{g[-1]}" for g in runs(versions, allowed))


def main(argv: list[str] | None = None) -> int:
    """``python -m sitekit.versions [list|latest|releases|running]`` for the Makefile and scripts."""
    import sys

    what = (argv if argv is not None else sys.argv[1:]) or ["list"]
    if what[0] == "list":
        print(" ".join(supported()))
    elif what[0] == "latest":
        print(latest())
    elif what[0] == "releases":
        print(" ".join(releases().values()))
    elif what[0] == "release":
        print(releases()[what[1]])
    elif what[0] == "running":
        print(running())
    else:
        print(f"unknown: {what[0]} (list, latest, releases, release X.Y, running)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
