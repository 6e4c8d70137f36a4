"""How the gateway treats each subgraph's traffic: a policy per subgraph, and its gate.

An OPD's server and the link to it are the weakest part of the city graph, and they are not
alike: Dukcapil's registry is slow and precious, Diskominfo's catalogue fast. So every call
follows its subgraph's policy, the ``[traffic]`` defaults overridden per name by
``[traffic.subgraphs.NAME]`` (as Cosmo's ``traffic_shaping.subgraphs``):

- **timeout**: seconds one call may take, bounded by what is left of the request's own
  deadline (``request_timeout``); the subgraph is told the rest (``simpul-deadline-ms``),
  so it stops working on an answer nobody waits for;
- **retries** of a query whose call the subgraph did not handle: at once when the
  connection was lost before any answer (a keep-alive connection the server had closed),
  after a jittered, doubling pause when it answered 502, 503 or 504; never after a timeout
  (the subgraph may still be working on it), and a mutation is never sent twice;
- a **circuit breaker**: after ``breaker_failures`` failed calls in a row the subgraph is
  not called for ``breaker_cooldown`` seconds, its fields failing at once with
  ``SUBGRAPH_CIRCUIT_OPEN``; then one call probes it (half-open): an answer closes the
  circuit, a failure opens it again;
- a **concurrency cap** (``max_concurrent``): beyond it a call fails at once with
  ``SUBGRAPH_BUSY`` instead of queueing on a server that is already struggling;
- the subgraph's **url**, replacing the supergraph's routing URL (another host, a proxy);
- **header rules** (:class:`HeaderRules`): client headers propagated or renamed onto its
  calls, static ones inserted (an OPD's API key, from the environment), some removed.

Each gate also keeps what the last calls showed, for the health view of ``/ready``: when
the subgraph last answered, when a call last failed and why. A subgraph whose last call
failed is called with ``{ __typename }`` every ``probe_interval`` seconds (through its
breaker, as a client's call would be), so that its health shows, and its circuit closes,
when it comes back, without waiting for a client to ask.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .errors import ErrorCode, TransportError

__all__ = [
    "DEADLINE_HEADER",
    "RESERVED_HEADERS",
    "RETRY_STATUSES",
    "BreakerState",
    "HeaderRules",
    "SubgraphGate",
    "SubgraphHealth",
    "Traffic",
    "TrafficPolicy",
]

DEADLINE_HEADER = "simpul-deadline-ms"
"""Milliseconds the gateway still waits for this call's answer; the toolkit stops there."""
RETRY_STATUSES = frozenset({502, 503, 504})
"""Statuses saying the subgraph did not handle the call: a query is worth sending again."""


RESERVED_HEADERS = frozenset(
    {
        DEADLINE_HEADER,
        "simpul-call",
        "content-type",
        "content-length",
        "transfer-encoding",
        "connection",
        "host",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
    }
)
"""Headers no rule may set or remove: the gateway's own, and HTTP's framing."""


@dataclass(frozen=True, slots=True)
class HeaderRules:
    """What a subgraph's calls carry besides the gateway's own headers (names lower-case).

    In order: the headers every call carries (``engine.forward_headers``), then the
    client's ``propagate`` headers, the client's headers ``rename``d (``(from, to)``), the
    ``insert``ed static ones (``(name, value)``), and last ``remove`` takes names out,
    whatever put them in."""

    propagate: tuple[str, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    insert: tuple[tuple[str, str], ...] = ()
    remove: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.propagate or self.rename or self.insert or self.remove)

    def sources(self) -> frozenset[str]:
        """The client headers these rules read."""
        return frozenset(self.propagate) | {source for source, _ in self.rename}

    def apply(self, client: Mapping[str, str], forwarded: Mapping[str, str]) -> dict[str, str]:
        """The headers of one call, from the client's (``client``, only those the rules
        read) and those every call carries (``forwarded``)."""
        headers = dict(forwarded)
        for name in self.propagate:
            if name in client:
                headers[name] = client[name]
        for source, target in self.rename:
            if source in client:
                headers[target] = client[source]
        headers.update(self.insert)
        for name in self.remove:
            headers.pop(name, None)
        return headers


@dataclass(frozen=True, slots=True)
class TrafficPolicy:
    """One subgraph's policy."""

    timeout: float = 30.0
    retries: int = 1
    backoff: float = 0.05
    """The first retry's pause (s), doubling for each next one, jittered (±50 %)."""
    max_backoff: float = 1.0
    breaker_failures: int = 5
    """Failed calls in a row that open the circuit; 0: no breaker."""
    breaker_cooldown: float = 10.0
    max_concurrent: int = 0
    """Calls in flight at once; 0: no cap."""
    url: str = ""
    """Replaces the supergraph's routing URL when set."""
    headers: HeaderRules = HeaderRules()

    def pause(self, retry: int, draw: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first)."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (retry - 1))
        return base * (0.5 + draw())


class BreakerState(enum.IntEnum):
    """A circuit's state, as ``/metrics`` reports it."""

    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


@dataclass(slots=True)
class SubgraphHealth:
    """What one subgraph's last calls showed (wall-clock times)."""

    answered_at: float | None = None
    failed_at: float | None = None
    error: str | None = None
    """The code of the last failure."""
    failed_last: bool = False

    def note(self, failure: TransportError | None) -> None:
        """Note one call's outcome."""
        if failure is None:
            self.answered_at = time.time()
        else:
            self.failed_at = time.time()
            self.error = failure.code.value
        self.failed_last = failure is not None

    def as_json(self) -> dict[str, object]:
        """The times and the last error, as ``/ready`` shows them."""
        detail: dict[str, object] = {}
        if self.answered_at is not None:
            detail["lastAnswer"] = _iso(self.answered_at)
        if self.failed_at is not None:
            detail["lastFailure"] = _iso(self.failed_at)
            detail["lastError"] = self.error
        return detail


def _iso(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


class SubgraphGate:
    """One subgraph's breaker and count of calls in flight, shared by every request."""

    def __init__(
        self, name: str, policy: TrafficPolicy, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.policy = policy
        self._clock = clock
        self.health = SubgraphHealth()
        self.state = BreakerState.CLOSED
        self.failures = 0
        self.in_flight = 0
        self._opened_at = 0.0
        self._probing = False

    def enter(self) -> TransportError | None:
        """Take a place for one call, or say why the call must not be made now."""
        if self.state is BreakerState.OPEN:
            if self._clock() - self._opened_at < self.policy.breaker_cooldown:
                return self._refusal()
            self.state = BreakerState.HALF_OPEN
        if self.state is BreakerState.HALF_OPEN:
            if self._probing:
                return self._refusal()
            self._probing = True
        cap = self.policy.max_concurrent
        if cap and self.in_flight >= cap:
            self._probing = False
            return TransportError(
                f"subgraph {self.name} has {cap} calls in flight already",
                ErrorCode.SUBGRAPH_BUSY,
            )
        self.in_flight += 1
        return None

    def leave(self, failure: TransportError | None) -> None:
        """End a call entered with :meth:`enter`: ``failure`` when no answer came."""
        self.in_flight -= 1
        self._probing = False
        self.health.note(failure)
        if failure is None:
            self.failures = 0
            self.state = BreakerState.CLOSED
            return
        self.failures += 1
        threshold = self.policy.breaker_failures
        if self.state is BreakerState.HALF_OPEN or (threshold and self.failures >= threshold):
            self.state = BreakerState.OPEN
            self._opened_at = self._clock()

    def down(self) -> bool:
        """Whether the subgraph is down as far as the gateway knows: its last call failed,
        or its circuit is not closed."""
        return self.health.failed_last or self.state is not BreakerState.CLOSED

    def _refusal(self) -> TransportError:
        return TransportError(
            f"subgraph {self.name} failed {self.failures} calls in a row; "
            f"calls resume after {self.policy.breaker_cooldown:g} s",
            ErrorCode.SUBGRAPH_CIRCUIT_OPEN,
        )


class Traffic:
    """Every subgraph's policy and gate; subgraphs without overrides follow ``default``."""

    def __init__(
        self,
        default: TrafficPolicy | None = None,
        overrides: Mapping[str, TrafficPolicy] | None = None,
        request_timeout: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default = default or TrafficPolicy()
        self.overrides = dict(overrides or {})
        self.request_timeout = request_timeout
        """Seconds one request's subgraph calls may take in all; 0: no deadline."""
        self.clock = clock
        self._gates: dict[str, SubgraphGate] = {}

    def policy(self, subgraph: str) -> TrafficPolicy:
        """The policy ``subgraph``'s calls follow."""
        return self.overrides.get(subgraph, self.default)

    def gate(self, subgraph: str) -> SubgraphGate:
        """``subgraph``'s gate, made on first use."""
        gate = self._gates.get(subgraph)
        if gate is None:
            gate = self._gates[subgraph] = SubgraphGate(subgraph, self.policy(subgraph), self.clock)
        return gate

    def header_sources(self) -> frozenset[str]:
        """The client headers any subgraph's rules read (a request keeps only these)."""
        found = self.default.headers.sources()
        for policy in self.overrides.values():
            found |= policy.headers.sources()
        return found

    def url(self, subgraph: str, routed: str) -> str:
        """Where ``subgraph`` is called: its override, else the supergraph's ``routed`` URL."""
        return self.policy(subgraph).url or routed

    def deadline(self) -> float | None:
        """The clock reading by which a request starting now must have its answers."""
        return self.clock() + self.request_timeout if self.request_timeout else None

    def states(self) -> dict[str, BreakerState]:
        """The breaker state of every subgraph called so far."""
        return {name: gate.state for name, gate in self._gates.items()}

    def failing(self) -> list[str]:
        """The subgraphs whose last call failed or whose circuit is not closed."""
        return [name for name, gate in self._gates.items() if gate.down()]

    def health(self, subgraphs: Iterable[str]) -> dict[str, dict[str, object]]:
        """The health view of ``subgraphs`` (``/ready``): ``status`` ``up`` when the last
        call answered, ``down`` when it failed or the circuit is open, ``unknown`` before
        any call; the circuit, failures in a row, and when it last answered and failed."""
        view: dict[str, dict[str, object]] = {}
        for name in subgraphs:
            gate = self._gates.get(name)
            if gate is None or (gate.health.answered_at is None and gate.health.failed_at is None):
                view[name] = {"status": "unknown"}
                continue
            detail: dict[str, object] = {
                "status": "down" if gate.down() else "up",
                "circuit": gate.state.name.lower().replace("_", "-"),
                "failuresInRow": gate.failures,
            }
            detail.update(gate.health.as_json())
            view[name] = detail
        return view
