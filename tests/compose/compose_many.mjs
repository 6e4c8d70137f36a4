// Composes many subgraph sets with @theguild/federation-composition, the reference
// composer of the differential tests. Input on stdin: {"set": [{"name","url","sdl"}]}.
// Output: {"set": {"sdl": "..." | null, "errors": [{"code", "message"}]}}.
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { readFileSync } from "node:fs";

const sets = JSON.parse(readFileSync(0, "utf8"));
const results = {};
for (const [name, services] of Object.entries(sets)) {
  try {
    const result = composeServices(
      services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
    );
    results[name] = result.errors && result.errors.length
      ? {
          sdl: null,
          errors: result.errors.map((e) => ({
            code: e.extensions?.code ?? "ERROR",
            message: e.message,
          })),
        }
      : { sdl: result.supergraphSdl, errors: [] };
  } catch (error) {
    // graphql's parse throws on a syntax error before composition starts.
    results[name] = { sdl: null, errors: [{ code: "INVALID_GRAPHQL", message: String(error) }] };
  }
}
process.stdout.write(JSON.stringify(results));
