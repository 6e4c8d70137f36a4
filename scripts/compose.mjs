// Composes subgraph SDLs with @theguild/federation-composition, the reference composer
// used to produce checked-in test fixtures. Input on stdin: [{"name","url","sdl"}].
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { readFileSync } from "node:fs";

const services = JSON.parse(readFileSync(0, "utf8"));
const result = composeServices(
  services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
);
if (result.errors && result.errors.length) {
  for (const error of result.errors) {
    console.error(`${error.extensions?.code ?? "ERROR"}: ${error.message}`);
  }
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
