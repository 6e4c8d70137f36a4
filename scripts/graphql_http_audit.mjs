// Runs the GraphQL-over-HTTP audit of the npm package graphql-http against a server and
// prints one JSON object per audit: {"id", "name", "status": "ok"|"warn"|"error", "reason"}.
// Usage: node graphql_http_audit.mjs URL
import { auditServer } from "graphql-http";

const results = await auditServer({ url: process.argv[2] });
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") line.reason = result.reason;
  console.log(JSON.stringify(line));
}
