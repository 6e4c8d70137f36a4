// Apollo Gateway (@apollo/gateway) on Apollo Server (@apollo/server) serving one supergraph
// file, in one process.
//
//   node apollo.mjs SUPERGRAPH PORT DEDUP        DEDUP: off (the only mode)
//
// Apollo Gateway has no in-flight de-duplication of subgraph or client requests (Apollo
// Router's `traffic_shaping.deduplicate_query` is a Router feature), so "off" is the only mode.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const [supergraphPath, port, dedup = "off"] = process.argv.slice(2);
if (dedup !== "off") {
  console.error("Apollo Gateway offers no in-flight de-duplication: only `off`");
  process.exit(2);
}

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, "utf8") });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
});
console.log(`apollo gateway on ${url}graphql (dedup off)`);

async function stop() {
  setTimeout(() => process.exit(0), 2_000).unref();
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
