"""The engine: one GraphQL request in, one GraphQL response out.

Document cache → operation selection → variable coercion → plan cache → plan execution
→ shaping. Everything before the first subgraph call is cached per document text, so a
repeated query costs dictionary lookups until the subgraphs are called.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from opentelemetry.trace import SpanKind, StatusCode

from .access import AccessControl, AccessOptions, AccessRefused, Caller, Decision
from .admission import Admission
from .api_schema import build_api_schema, execute_here
from .audit import AuditTrail, AuditUnavailable, document_hash, gateway_entry, now
from .cache import NO_STORE, SubgraphCache
from .config import EngineSettings, LimitSettings
from .defer import SplitOperation, deliver, split_operation
from .demand_control import CostModel
from .errors import ErrorCode, RequestError, graphql_error
from .executor import ExecutionState, FetchExecutor, shape_response
from .in_flight import InFlight
from .log_context import TRACE_ID
from .metrics import UNKNOWN_OPERATION, Metrics
from .operation import DocumentCache, PreparedDocument, coerce_variables, select_operation
from .operation_limits import OperationLimits
from .persisted import PersistedDocuments
from .planner import PlanningError, QueryPlan, build_query_plan, print_plan
from .request import GraphQLRequest, GraphQLResponse, RequestContext
from .specs.federation import label_percent
from .supergraph import Supergraph, load_supergraph_file
from .tracing import Tracing, continued, current_trace_id
from .traffic import Traffic
from .transport import Transport
from .transport.observed import ObservedTransport

__all__ = ["Engine"]

log = logging.getLogger("gateway.audit")

_INTROSPECTION_FIELDS = ("__schema", "__type")


@dataclass(frozen=True, slots=True)
class _Run:
    """One planned operation, ready to run: everything its answer depends on."""

    plan: QueryPlan
    query: str
    prepared: PreparedDocument
    operation: OperationDefinitionNode
    """The client's operation, as the answer is shaped from it."""
    variables: dict[str, Any]
    headers: dict[str, str]
    """The forwarded client headers (the request id is added per run)."""
    include_plan: bool
    caller: Caller
    decision: Decision
    cost: int | None = None
    """The estimated cost, when the answer reports it (``simpul-include-cost``)."""
    client_headers: Mapping[str, str] = field(default_factory=dict)
    """The client headers the subgraphs' header rules read (:class:`HeaderRules`)."""


@dataclass(slots=True)
class _Seen:
    """What one request's metrics and span learn while it runs: its operation, once known."""

    operation: OperationDefinitionNode | None = None


def _run_key(query: str, run: _Run, labels: frozenset[str]) -> tuple[object, ...] | None:
    """What makes two client requests give the same answer; ``None`` if it can't be told."""
    try:
        variables = orjson.dumps(run.variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    caller = run.caller
    return (
        query,
        run.operation.name.value if run.operation.name else None,
        variables,
        tuple(sorted(run.headers.items())),
        tuple(sorted(run.client_headers.items())),
        run.include_plan,
        run.cost,
        labels,
        # subgraphs learn who asked (the signed call), so only one caller's requests share
        (caller.client, caller.officer, caller.purpose),
        run.decision.denied,
    )


class Engine:
    """Answers GraphQL requests over one supergraph."""

    def __init__(
        self,
        supergraph: Supergraph,
        transport: Transport,
        config: EngineSettings | None = None,
        access: AccessOptions | None = None,
        limits: LimitSettings | None = None,
        persisted: PersistedDocuments | None = None,
        audit: AuditTrail | None = None,
        traffic: Traffic | None = None,
        metrics: Metrics | None = None,
        tracing: Tracing | None = None,
        cache: SubgraphCache | None = None,
    ):
        """``audit``: the access log every processing of personal data is recorded in;
        without one, personal data is refused to every caller. ``traffic``: each
        subgraph's policy (timeouts, retries, breaker, cap, address); by default every
        subgraph gets ``config.subgraph_timeout`` and the default policy. ``metrics``: the
        counters of the engine this one succeeds, kept across a new supergraph.
        ``tracing``: where spans go (:mod:`gateway.tracing`); none are made without it.
        ``cache``: the subgraph answers kept as their ``Cache-Control`` allows
        (``[cache]``)."""
        self.config = config or EngineSettings()
        self.audit = audit
        self.persisted = persisted or PersistedDocuments()
        self.limits = limits or LimitSettings()
        self.supergraph = supergraph
        self.api_schema: GraphQLSchema = build_api_schema(supergraph)
        self._access_options = access or AccessOptions()
        self.access = AccessControl(
            supergraph, self.api_schema, self._access_options, recorded=audit is not None
        )
        self.costs = CostModel(supergraph, self.api_schema, self.limits.list_size)
        self.transport = transport
        self.documents = DocumentCache(
            self.api_schema,
            max_size=self.config.document_cache_size,
            max_depth=self.config.max_depth,
            max_bytes=self.config.max_query_bytes,
            max_tokens=self.limits.max_tokens,
            limits=OperationLimits(
                max_aliases=self.limits.max_aliases,
                max_root_fields=self.limits.max_root_fields,
                max_fields=self.limits.max_fields,
                max_height=self.limits.max_height,
                max_directives=self.limits.max_directives,
            ),
            max_cache_bytes=self.limits.document_cache_bytes,
            off_loop_bytes=self.limits.parse_off_loop_bytes,
            suggestions=self.config.field_suggestions,
        )
        fresh = metrics is None
        self.metrics = metrics = metrics or Metrics()
        self.tracing = tracing or Tracing()
        self.tracer = self.tracing.tracer
        # every subgraph call timed (and traced); self.transport stays the bare one, which
        # a successor wraps anew
        observed = ObservedTransport(transport, metrics, self.tracer)
        self.executor = FetchExecutor(
            supergraph.subgraphs,
            observed,
            self.config.subgraph_timeout,
            dedup=self.config.dedup_subgraph_requests,
            signer=self.access.signer,
            traffic=traffic,
            cache=cache,
        )
        observed.name_urls(self.executor.urls)
        self._header_sources = self.executor.traffic.header_sources()
        # the request headers an answer may differ by, for caches downstream of the gateway
        self._vary = ", ".join(
            sorted(
                {
                    *self._access_options.authenticator.identifying_headers,
                    *(name.lower() for name in self.config.forward_headers),
                    *self._header_sources,
                }
            )
        )
        if fresh:
            metrics.watch_circuits(self.executor.traffic.states)
        if cache is not None:
            cache.outcomes = metrics.count_cache
        self._plans: OrderedDict[
            tuple[str, str | None, frozenset[str], frozenset[str]], QueryPlan
        ] = OrderedDict()
        self._in_flight: InFlight[tuple[object, ...], GraphQLResponse] = InFlight()
        self._admission = Admission() if self.config.adaptive_concurrency else None
        admission = self._admission
        if admission is not None:
            metrics.watch_admission(lambda: (admission.active, admission.waiting))
        else:
            metrics.watch_admission(lambda: (0, 0))
        self._labels = sorted(
            {
                source.override_label
                for info in supergraph.types.values()
                for field in info.fields.values()
                for source in field.sources
                if source.override_label
            }
        )

    @classmethod
    def from_file(
        cls,
        path: str,
        transport: Transport,
        config: EngineSettings | None = None,
        access: AccessOptions | None = None,
        limits: LimitSettings | None = None,
    ) -> Engine:
        """Load the supergraph at ``path`` (raises ``SupergraphError`` when invalid)."""
        return cls(load_supergraph_file(path), transport, config, access, limits)

    def successor(self, supergraph: Supergraph) -> Engine:
        """The engine over a new ``supergraph`` that takes over from this one: the same
        settings, connections, grants and rate counters, trusted documents, access log,
        metrics, circuit breakers and cache of subgraph answers; its own schema, document
        cache and plans. Nothing of this
        engine needs closing once the last request it runs has finished."""
        return Engine(
            supergraph,
            self.transport,
            self.config,
            self._access_options,
            self.limits,
            self.persisted,
            self.audit,
            self.executor.traffic,
            self.metrics,
            self.tracing,
            self.executor.cache,
        )

    def subgraph_health(self) -> dict[str, dict[str, object]]:
        """Each subgraph of the supergraph as the gateway's calls found it (``/ready``)."""
        return self.executor.traffic.health(sorted(self.supergraph.subgraphs))

    async def probe_failing(self) -> None:
        """Call each subgraph whose last call failed (or whose circuit is open) once with
        ``{ __typename }``: its health shows, and its circuit closes, when it is back."""
        failing = [n for n in self.executor.traffic.failing() if n in self.supergraph.subgraphs]
        await asyncio.gather(*(self.executor.probe(name) for name in failing))

    async def start(self) -> None:
        """Open what the engine writes to: the access log's chain (a store that cannot be
        reached is logged; personal data is refused until it can be written)."""
        if self.audit is None:
            return
        try:
            await self.audit.start()
        except Exception as error:  # any failure of the store: the entry writes say it again
            log.error("the access log cannot be opened: %s", error)

    async def close(self) -> None:
        await self.transport.close()
        await self.access.close()
        await self.persisted.close()
        if self.executor.cache is not None:
            await self.executor.cache.close()
        if self.audit is not None:
            await self.audit.close()
        if self.tracing.provider is not None:
            # the last spans go out over HTTP: not on the loop, which may serve their receiver
            await asyncio.to_thread(self.tracing.shutdown)

    def active_labels(self) -> frozenset[str]:
        """The progressive-override labels in force for one request."""
        active = set()
        for label in self._labels:
            switched_on = label in self.config.override_labels
            percent = label_percent(label)
            if switched_on or (percent is not None and random.random() * 100 < percent):
                active.add(label)
        return frozenset(active)

    def plan(
        self,
        query: str,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        labels: frozenset[str] = frozenset(),
        denied: frozenset[str] = frozenset(),
    ) -> QueryPlan:
        """The cached plan of an operation, built on first use; ``denied`` names what
        authorization removed from it (a caller who may see more gets another plan)."""
        key = (query, operation.name.value if operation.name else None, labels, denied)
        plan = self._plans.get(key)
        if plan is None:
            batch = self.config.batch_entity_fetches
            if self.tracer is None:
                plan = build_query_plan(self.supergraph, operation, fragments, labels, batch)
            else:
                with self.tracer.start_as_current_span("graphql.plan"):
                    plan = build_query_plan(self.supergraph, operation, fragments, labels, batch)
            self._plans[key] = plan
            if len(self._plans) > self.config.plan_cache_size:
                self._plans.popitem(last=False)
        return plan

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        """Run one request; request errors come back with their status, never raised. Each
        client request is counted and timed (:mod:`gateway.metrics`), and traced as a
        ``graphql.request`` span continuing the client's ``traceparent`` when telemetry is on
        (the parts of a deferred operation belong to their request)."""
        if context.derived:
            return await self._answer(request, context, _Seen())
        started = time.perf_counter()
        seen = _Seen()
        tracer = self.tracer
        if tracer is None:
            response = await self._answer(request, context, seen)
        else:
            with tracer.start_as_current_span(
                "graphql.request", continued(context.headers), SpanKind.SERVER
            ) as span:
                TRACE_ID.set(current_trace_id())
                response = await self._answer(request, context, seen)
                operation = seen.operation
                if operation is not None:
                    span.set_attribute("graphql.operation.type", operation.operation.value)
                    if operation.name is not None:
                        span.set_attribute("graphql.operation.name", operation.name.value)
                if response.status >= 400 or "data" not in response.body:
                    span.set_status(StatusCode.ERROR)
        operation = seen.operation
        name = (
            UNKNOWN_OPERATION
            if operation is None
            else self.metrics.operation_label(operation.name.value if operation.name else None)
        )
        self.metrics.answered(name, response.body, time.perf_counter() - started)
        return response

    async def _answer(
        self, request: GraphQLRequest, context: RequestContext, seen: _Seen
    ) -> GraphQLResponse:
        try:
            caller = await self.access.authenticate(context.headers)
            if context.derived and request.query is not None:
                query = request.query  # made here from a document this request may run
            else:
                query = await self.persisted.resolve(request, caller.authenticated)
            prepared = await self.documents.prepare(query)
            operation = select_operation(prepared, request.operation_name)
            seen.operation = operation
            if operation.operation is OperationType.SUBSCRIPTION:
                raise RequestError(
                    [
                        graphql_error(
                            "subscriptions are not supported over HTTP",
                            ErrorCode.GRAPHQL_VALIDATION_FAILED,
                        )
                    ]
                )
            if operation.operation is OperationType.MUTATION and context.method == "GET":
                raise RequestError(
                    [
                        graphql_error(
                            "mutations must be sent with POST", ErrorCode.METHOD_NOT_ALLOWED
                        )
                    ],
                    status=405,
                )
            variables = coerce_variables(self.api_schema, operation, request.variables)
            if (
                context.incremental is not None
                and operation.operation is OperationType.QUERY
                and prepared.defers
            ):
                split = split_operation(
                    prepared.document, operation, variables, self.limits.max_deferred
                )
                if split is not None:
                    return await self._deferred(split, request, context)
            decision = await self.access.decide(prepared, operation, caller)
            cost = self._estimate(prepared, decision, variables, caller)
        except AccessRefused as refusal:
            if refusal.decision.recorded:
                refused = await self._record(
                    refusal.decision,
                    caller,
                    operation,
                    query,
                    variables,
                    context.request_id,
                    now(),
                )
                if refused is not None:
                    return refused
            self.metrics.refused.labels(code=_code(refusal.errors)).inc()
            return GraphQLResponse(
                body={"errors": refusal.errors}, status=refusal.status, headers=refusal.headers
            )
        except RequestError as error:
            self.metrics.refused.labels(code=_code(error.errors)).inc()
            return GraphQLResponse(
                body={"errors": error.errors}, status=error.status, headers=error.headers
            )
        labels = self.active_labels()
        try:
            plan = self.plan(query, decision.operation, decision.fragments, labels, decision.denied)
        except PlanningError as error:
            return GraphQLResponse(
                body={
                    "data": None,
                    "errors": [graphql_error(str(error), ErrorCode.QUERY_PLANNING_FAILED)],
                }
            )
        headers = {
            name: context.headers[name]
            for name in self.config.forward_headers
            if name in context.headers
        }
        include_plan = context.include_plan and self.config.expose_query_plan
        reported = cost if context.include_cost and self.limits.expose_cost else None
        run = _Run(
            plan,
            query,
            prepared,
            operation,
            variables,
            headers,
            include_plan,
            caller,
            decision,
            reported,
            {n: context.headers[n] for n in self._header_sources if n in context.headers},
        )
        if (
            self.config.dedup_client_requests
            and operation.operation is OperationType.QUERY
            and not decision.personal  # each processing of personal data is its own
        ):
            key = _run_key(query, run, labels)
            if key is not None:
                return await self._in_flight.run(
                    key, lambda: self._admitted(run, context.request_id)
                )
        return await self._admitted(run, context.request_id)

    async def _deferred(
        self, split: SplitOperation, request: GraphQLRequest, context: RequestContext
    ) -> GraphQLResponse:
        """The initial part and every deferred fragment run at once, each as an operation
        of its own; the initial answer first, the fragments' as they come (gateway.defer)."""
        assert context.incremental is not None
        derived = replace(context, incremental=None, derived=True)

        def run(query: str) -> Awaitable[GraphQLResponse]:
            part = GraphQLRequest(
                query, operation_name=request.operation_name, variables=request.variables
            )
            return self.execute(part, derived)

        answers = [asyncio.ensure_future(run(f.query)) for f in split.fragments]
        initial = await run(split.initial)
        return deliver(initial, split.fragments, answers, self.api_schema, context.incremental)

    def _estimate(
        self,
        prepared: PreparedDocument,
        decision: Decision,
        variables: dict[str, Any],
        caller: Caller,
    ) -> int | None:
        """The operation's estimated cost (of what it may run); raises
        :class:`RequestError` when demand control refuses it."""
        mode = self.limits.cost_mode
        if mode == "off":
            return None
        cache = prepared.cost_cache if not decision.denied else {}
        cost = self.costs.estimate(decision.operation, decision.fragments, variables, cache)
        self.metrics.cost_estimated.observe(cost)
        maximum = caller.max_cost if caller.max_cost is not None else self.limits.max_cost
        if mode == "enforce" and cost > maximum:
            message = f"the operation's estimated cost is {cost}, over the maximum of {maximum}"
            raise RequestError(
                [
                    graphql_error(
                        message, ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, cost=cost, maxCost=maximum
                    )
                ]
            )
        return cost

    async def _admitted(self, run: _Run, request_id: str | None) -> GraphQLResponse:
        if self._admission is None:
            return await self._run(run, request_id)
        async with self._admission:
            return await self._run(run, request_id)

    async def _run(self, run: _Run, request_id: str | None) -> GraphQLResponse:
        plan, prepared, operation, variables = run.plan, run.prepared, run.operation, run.variables
        headers = dict(run.headers)
        if request_id:
            headers["x-request-id"] = request_id
        state = ExecutionState(
            variables=variables,
            headers=headers,
            client_headers=run.client_headers,
            claims=self.access.claims(run.caller, request_id),
            errors=[*run.decision.errors, *_unresolvable_errors(plan, variables)],
            recorded=run.decision.recorded,
            deadline=self.executor.traffic.deadline(),
        )
        began = now() if run.decision.recorded else ""
        await self.executor.run(plan.node, state)
        if run.decision.recorded:
            # read before shaping: the subjects' identifiers the gateway added are still there
            unrecorded = await self._record(
                run.decision,
                run.caller,
                operation,
                run.query,
                variables,
                request_id,
                began,
                state,
            )
            if unrecorded is not None:
                return unrecorded
        introspection = self._introspection(prepared.document, operation, variables, run.caller)
        if introspection is not None:
            state.data.update(introspection.data or {})
            state.errors.extend(dict(e.formatted) for e in introspection.errors or ())
        root = self.api_schema.get_root_type(operation.operation)
        assert root is not None
        data = shape_response(
            self.api_schema,
            root,
            operation.selection_set,
            prepared.fragments,
            variables,
            state.data,
            state.errors,
            prepared.shape_cache,
            state.absent,
        )
        body: dict[str, Any] = {}
        if state.errors:
            body["errors"] = state.errors
        body["data"] = data
        extensions: dict[str, Any] = {}
        if state.stale:
            extensions["stale"] = state.stale
        if run.include_plan:
            extensions["queryPlan"] = print_plan(plan)
        sampled = random.random() < self.limits.actual_cost_sample
        if run.cost is not None or (sampled and self.limits.cost_mode != "off"):
            actual = self.costs.actual(operation, prepared.fragments, data)
            self.metrics.cost_actual.observe(actual)
            if run.cost is not None:
                extensions["cost"] = {
                    "estimated": run.cost,
                    "actual": actual,
                    "mode": self.limits.cost_mode,
                }
        if extensions:
            body["extensions"] = extensions
        return GraphQLResponse(body=body, headers=self._caching(run, state))

    def _caching(self, run: _Run, state: ExecutionState) -> dict[str, str]:
        """The answer's ``Cache-Control`` (and ``Vary``): as long as its strictest part may
        be kept; never kept when it changes anything, reports an error or stale data, or
        holds personal data (nowhere but in the recorded answer itself); ``private`` when
        it is for an identified caller, whose grants shaped it."""
        if (
            run.operation.operation is not OperationType.QUERY
            or state.errors
            or state.stale
            or run.decision.personal
            or run.decision.recorded
        ):
            return {"Cache-Control": NO_STORE}
        value = state.freshness.cache_control(private=run.caller.authenticated)
        if value == NO_STORE:
            return {"Cache-Control": NO_STORE}
        return {"Cache-Control": value, "Vary": self._vary}

    async def _record(
        self,
        decision: Decision,
        caller: Caller,
        operation: OperationDefinitionNode,
        query: str,
        variables: Mapping[str, Any],
        request_id: str | None,
        began: str,
        state: ExecutionState | None = None,
    ) -> GraphQLResponse | None:
        """Write the access log's entry for one request; the answer to send instead when it
        cannot be written (``None``: answer as planned)."""
        assert self.audit is not None  # personal data is refused without an access log
        entry = gateway_entry(
            self.audit,
            decision=decision,
            caller=caller,
            request_id=request_id or "",
            time=began,
            operation=operation,
            document=document_hash(query),
            variables=variables,
            data=state.data if state is not None else None,
            errors=state.errors[len(decision.errors) :] if state is not None else (),
            subgraphs=sorted(state.subgraphs) if state is not None else (),
            owners=self._owners,
            executed=state is not None,
        )
        try:
            await self.audit.write(entry)
        except AuditUnavailable:
            self.metrics.refused.labels(code=ErrorCode.AUDIT_UNAVAILABLE.value).inc()
            message = (
                "the processing of personal data cannot be recorded right now, so it is not "
                "answered; try again later"
            )
            error = graphql_error(message, ErrorCode.AUDIT_UNAVAILABLE)
            return GraphQLResponse(body={"errors": [error], "data": None}, status=503)
        return None

    def _owners(self, coordinate: str) -> tuple[str, ...]:
        """The subgraphs that hold ``Type.field`` (or every member of ``Type``)."""
        type_name, _, field_name = coordinate.partition(".")
        info = self.supergraph.types.get(type_name)
        if info is None:
            return ()
        if not field_name:
            return tuple(sorted({m.subgraph for m in info.members}))
        field = info.fields.get(field_name)
        if field is None:
            return ()
        return tuple(sorted({s.subgraph for s in field.sources if not s.external}))

    def _introspection(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        caller: Caller,
    ) -> ExecutionResult | None:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        selection = _introspection_only(operation.selection_set, fragments)
        if selection is None:
            return None
        only = replace(operation, selection_set=selection)
        # the introspection fields themselves may spread fragments (GraphiQL's ...FullType)
        document = DocumentNode(definitions=(only, *fragments.values()))
        schema = self.access.introspection_schema(caller)
        if schema is None:
            message = {
                "off": "introspection is turned off on this gateway",
                "authenticated": "introspection is for authenticated client applications",
            }.get(self.access.options.introspection, "this client may query nothing of the graph")
            error = GraphQLError(
                message, extensions={"code": ErrorCode.INTROSPECTION_DISABLED.value}
            )
            return ExecutionResult(data=None, errors=[error])
        return execute_here(schema, document, variables)


def _unresolvable_errors(plan: QueryPlan, variables: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An error at each client field the plan could not reach that the request asks for."""
    return [
        graphql_error(field.reason, ErrorCode.UNRESOLVABLE_FIELD, path=list(field.path))
        for field in plan.unresolvable
        if field.asked(variables)
    ]


def _code(errors: list[dict[str, Any]]) -> str:
    """The code of a refusal's first error, as the refusal metric counts it."""
    code = (errors[0].get("extensions") or {}).get("code") if errors else None
    return str(code or "UNKNOWN")


def _introspection_only(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> SelectionSetNode | None:
    """The root selection reduced to its introspection fields (fragments inlined)."""
    kept: list[FieldNode | InlineFragmentNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in _INTROSPECTION_FIELDS:
                kept.append(selection)
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                continue
            inner = _introspection_only(fragment.selection_set, fragments)
            condition: NamedTypeNode | None = fragment.type_condition
        elif isinstance(selection, InlineFragmentNode):
            inner = _introspection_only(selection.selection_set, fragments)
            condition = selection.type_condition
        else:
            continue
        if inner is not None:
            kept.append(
                InlineFragmentNode(
                    type_condition=condition, directives=selection.directives, selection_set=inner
                )
            )
    return SelectionSetNode(selections=tuple(kept)) if kept else None
