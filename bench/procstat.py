"""What /proc says about a process tree and the cores: CPU time, resident memory, busy time."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["core_times", "tree_cpu_seconds", "tree_rss_bytes"]

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may contain spaces.
    return text[text.rindex(")") + 2 :].split()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` and its descendants (all their threads)."""
    total = 0
    for member in _tree(pid):
        fields = _stat_fields(member)
        if fields is not None:
            # utime and stime are fields 14 and 15 of /proc/<pid>/stat.
            total += int(fields[11]) + int(fields[12])
    return total / _TICK


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants."""
    total = 0
    for member in _tree(pid):
        fields = _stat_fields(member)
        if fields is not None:
            total += int(fields[21]) * _PAGE  # rss, field 24, in pages
    return total


def core_times() -> dict[int, tuple[float, float]]:
    """Per core: (busy seconds, total seconds) since boot, from /proc/stat."""
    cores = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [int(v) for v in values]
            idle = ticks[3] + ticks[4]  # idle + iowait
            total = sum(ticks[:8])  # guest time is already in user
            cores[int(name[3:])] = ((total - idle) / _TICK, total / _TICK)
    return cores
