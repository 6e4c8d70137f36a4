"""The results as Markdown, and their place in docs/performance.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["END", "START", "render", "write_docs"]

START = "<!-- bench:results:start (rewritten by `make bench`) -->"
END = "<!-- bench:results:end -->"


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if digits == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def _dedup(value: str) -> str:
    return {"off": "off", "subgraph": "on (subgraph requests)"}.get(
        value, "on (subgraph and client requests)" if value == "subgraph+inbound" else value
    )


def _spread(result: dict[str, Any], key: str, digits: int = 1) -> str:
    """The median of ``key``, with the lowest and highest window in brackets (when the
    gateway was measured in more than one)."""
    median = _number(result[key], digits)
    values = [w[key] for w in result.get("windows") or () if w[key] is not None]
    if len(values) < 2:
        return median
    return f"{median} ({_number(min(values), digits)}-{_number(max(values), digits)})"


def _method(scenario: dict[str, Any], settings: dict[str, Any]) -> str:
    runs = settings.get("runs", 1)
    said = f"Answer {scenario['response_bytes']:,} bytes; {settings['concurrency']} connections, "
    if runs > 1:
        said += (
            f"{runs} timed windows of {settings['seconds']:g} s per gateway and mode, taken "
            f"round-robin, after one {settings['warmup']:g} s warm-up at its start: the median "
            "window, and in brackets the lowest and highest."
        )
    else:
        said += f"{settings['seconds']:g} s after a {settings['warmup']:g} s warm-up, per gateway."
    if scenario.get("subgraph_latency_ms"):
        said += (
            f" Every subgraph answers {scenario['subgraph_latency_ms']:g} ms after each request "
            "(a timer on its event loop, which serves others meanwhile)."
        )
    return said


def _scenario(scenario: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    lines = [f"### {scenario['title']}", ""]
    if scenario.get("pending"):
        return [*lines, f"Not run: {scenario['pending']}.", ""]
    lines += [
        _method(scenario, settings),
        "",
        "| Gateway | In-flight dedup | RPS | p50 ms | p99 ms | Errors | CPU ms/request "
        "| RSS MB start → end | Subgraph calls/request | CPU: gateway | CPU: subgraphs + load "
        "| CPU: other |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    untimed = []
    for g in scenario["gateways"]:
        if g["rps"] is None:
            untimed.append(g)
            continue
        again = " (measured again)" if g["attempts"] > 1 else ""
        lines.append(
            f"| {_name(g)} | {_dedup(g['dedup'])} | {_spread(g, 'rps')} "
            f"| {_spread(g, 'p50_ms')} | {_spread(g, 'p99_ms')} | {g['errors']} "
            f"| {_spread(g, 'cpu_ms_per_request', 2)} "
            f"| {_number(g['rss_start_mb'], 0)} → {_number(g['rss_end_mb'], 0)} "
            f"| {_number(g['subgraph_calls_per_request'], 2)} "
            f"| {_percent(g['gateway_cpu'])} | {_percent(g['bench_cpu'])} "
            f"| {_percent(g['unattributed_cpu'])}{again} |"
        )
    for g in untimed:
        lines.append(
            f"| {_name(g)} | {_dedup(g['dedup'])} | **not timed: {g['answer']}** "
            "| | | | | | | | | |"
        )
    lines.append("")
    lines += _ratios(scenario["gateways"])
    lines += _record_costs(scenario["gateways"])
    lines += [
        "Answers checked before timing (the subgraph fetches one query causes, alone):",
        "",
        "| Gateway | In-flight dedup | Answer | Subgraph fetches per query |",
        "|---|---|---|--:|",
    ]
    for g in scenario["gateways"]:
        fetches = "-" if g["fetches_per_query"] is None else str(g["fetches_per_query"])
        lines.append(f"| {_name(g)} | {_dedup(g['dedup'])} | {g['answer']} | {fetches} |")
    lines += [
        "",
        "The subgraphs alone (each loaded with its largest request, same pinning):",
        "",
        "| Subgraph | RPS | p99 ms | Errors | Answer bytes |",
        "|---|--:|--:|--:|--:|",
    ]
    for s in scenario["subgraphs"]:
        lines.append(
            f"| {s['name']} | {_number(s['rps'], 0)} | {_number(s['p99_ms'], 2)} "
            f"| {s['errors']} | {s['response_bytes']:,} |"
        )
    lines.append("")
    misses = sum(g["subgraph_cache_misses"] or 0 for g in scenario["gateways"])
    lines += [
        f"Subgraph requests answered without the cache during timed runs: {misses}.",
        "",
    ]
    return lines


def _name(result: dict[str, Any]) -> str:
    variant = result.get("variant")
    return f"{result['gateway']}, {variant}" if variant else str(result["gateway"])


def _record_costs(results: list[dict[str, Any]]) -> list[str]:
    """Each variant against the first one measured (the personal-data scenario's baseline)."""
    timed = [g for g in results if g["rps"] is not None and g.get("variant")]
    if len(timed) < 2:
        return []
    base = timed[0]
    lines = [
        f"Against {base['variant']} (what the access check and the record cost):",
        "",
        "| Simpul | RPS ratio | p50 ratio | p99 ratio | CPU ms/request added |",
        "|---|--:|--:|--:|--:|",
    ]
    for g in timed[1:]:
        added = None
        if g["cpu_ms_per_request"] is not None and base["cpu_ms_per_request"] is not None:
            added = g["cpu_ms_per_request"] - base["cpu_ms_per_request"]
        lines.append(
            f"| {g['variant']} | {_ratio(g['rps'], base['rps'])} "
            f"| {_ratio(g['p50_ms'], base['p50_ms'])} | {_ratio(g['p99_ms'], base['p99_ms'])} "
            f"| {'-' if added is None else f'{added:+.2f}'} |"
        )
    return [*lines, ""]


def _ratios(results: list[dict[str, Any]]) -> list[str]:
    timed = [g for g in results if g["rps"] is not None]
    simpul = {g["dedup"]: g for g in timed if g["gateway"] == "Simpul"}
    peers = [g for g in timed if g["gateway"] != "Simpul"]
    if not simpul or not peers:
        return []
    lines = [
        "Simpul / peer (RPS above 1x and p99 below 1x favour Simpul; with de-duplication on, "
        "Simpul's best mode on offer is compared):",
        "",
        "| Simpul | Peer | RPS ratio | p99 ratio | CPU/request ratio |",
        "|---|---|--:|--:|--:|",
    ]
    for peer in peers:
        mine = simpul.get(peer["dedup"])
        if mine is None:
            mine = simpul.get("subgraph") or simpul["off"]
        lines.append(
            f"| dedup {mine['dedup']} | {peer['gateway']}, dedup {peer['dedup']} "
            f"| {_ratio(mine['rps'], peer['rps'])} | {_ratio(mine['p99_ms'], peer['p99_ms'])} "
            f"| {_ratio(mine['cpu_ms_per_request'], peer['cpu_ms_per_request'])} |"
        )
    return [*lines, ""]


def render(document: dict[str, Any]) -> str:
    """The results section: run facts, then one block of tables per scenario."""
    machine = document["machine"]
    settings = document["settings"]
    versions = document["versions"]
    pinning = document["pinning"]
    if pinning["gateway"] is None:
        pinned = "nothing pinned (fewer than two cores)"
    else:
        pinned = (
            f"gateway on core {pinning['gateway']}; subgraphs, load generator and the "
            f"script on core {pinning['other']}"
        )
    peers = ", ".join(
        f"{name} {version}" for name, version in versions.items() if name not in ("simpul", "node")
    )
    lines = [
        f"Run of {document['date']} ({document['elapsed_seconds']} s in all).",
        "",
        f"- Machine: {machine['nproc']} cores, {machine['cpu']}, {machine['memory_gib']} GiB, "
        f"Linux {machine['kernel']}, Python {machine['python']}",
        *(
            [f"- Simpul's interpreter: {machine['simpul_python']}"]
            if "simpul_python" in machine
            else []
        ),
        f"- Pinning: {pinned}",
        f"- Load generator: {document['load_generator']}, {settings['concurrency']} connections",
        f"- Simpul: {versions['simpul']}; Node {versions.get('node') or '-'}; "
        f"{peers or 'no peers'}",
    ]
    lines += [f"- {note}" for note in document["notes"]]
    lines.append("")
    for scenario in document["scenarios"]:
        lines += _scenario(scenario, settings)
    return "\n".join(lines).rstrip() + "\n"


def write_docs(path: Path, table: str) -> None:
    """Replace the results section of ``path`` (appended when the markers are missing)."""
    text = path.read_text() if path.exists() else "# Performance\n"
    section = f"{START}\n{table}{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n## Latest results\n\n" + section + "\n"
    path.write_text(text)
