// Hive Gateway (@graphql-hive/gateway) serving one supergraph file, in one process.
//
//   node hive.mjs SUPERGRAPH PORT DEDUP [PLANNER]
//     DEDUP: off | subgraph | subgraph+inbound
//     PLANNER: js (default, the gateway's own) | rust (The Guild's Rust query planner)
//
// Hive Gateway offers two kinds of in-flight de-duplication:
// - of identical subgraph requests: the HTTP transport's `deduplicateInflightRequests`
//   (@graphql-tools/executor-http), ON by default, so "off" must switch it off;
// - of identical client requests: `inboundInflightRequestDeduplication`, off by default.
//
// PLANNER rust hands planning and plan execution to @graphql-hive/router-runtime's
// `unifiedGraphHandler` (the Rust planner of Hive Router, compiled to a Node addon); the
// subgraph calls still go through the gateway's transports, so the same de-duplication
// settings apply. It runs without JIT (`jit` stays off, as `hive-gateway` without `--jit`):
// with JIT, this version answers the benchmark's queries with nulls.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createGatewayRuntime } from "@graphql-hive/gateway";

const [supergraphPath, port, dedup = "off", planner = "js"] = process.argv.slice(2);
if (!["off", "subgraph", "subgraph+inbound"].includes(dedup)) {
  console.error(`unknown dedup mode ${dedup}`);
  process.exit(2);
}
if (!["js", "rust"].includes(planner)) {
  console.error(`unknown planner ${planner}`);
  process.exit(2);
}
const supergraph = readFileSync(supergraphPath, "utf8");
const rust =
  planner === "rust"
    ? { unifiedGraphHandler: (await import("@graphql-hive/router-runtime")).unifiedGraphHandler }
    : {};

const gateway = createGatewayRuntime({
  supergraph: () => supergraph,
  logging: "warn",
  landingPage: false,
  graphiql: false,
  transportEntries: {
    "*": { options: { deduplicateInflightRequests: dedup !== "off" } },
  },
  inboundInflightRequestDeduplication: dedup === "subgraph+inbound",
  ...rust,
});

const server = createServer(gateway);
server.keepAliveTimeout = 60_000;
server.listen(Number(port), "127.0.0.1", () => {
  console.log(
    `hive gateway on http://127.0.0.1:${port}/graphql (dedup ${dedup}, ${planner} planner)`,
  );
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
