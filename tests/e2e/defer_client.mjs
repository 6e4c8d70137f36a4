// Apollo Client (@apollo/client 3) asking a gateway for a query with @defer, as a web
// page would: every result the client emits is printed as one JSON line, until COUNT
// results (Apollo Client reports `loading: false` from the first part on, and updates the
// data as the other parts arrive).
//
//   node defer_client.mjs GRAPHQL_URL QUERY COUNT
//
// Run from the folder holding node_modules (ES modules resolve packages next to the script).
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";

const [uri, query, count] = process.argv.slice(2);
let seen = 0;
const client = new ApolloClient({
  link: new HttpLink({ uri, fetch }),
  cache: new InMemoryCache(),
});
const timer = setTimeout(() => {
  console.error("no complete result within 20 s");
  process.exit(2);
}, 20_000);
client.watchQuery({ query: gql(query) }).subscribe({
  next(result) {
    console.log(JSON.stringify({ loading: result.loading, data: result.data ?? null }));
    seen += 1;
    if (seen >= Number(count)) {
      clearTimeout(timer);
      process.exit(0);
    }
  },
  error(error) {
    console.error(String(error));
    process.exit(1);
  },
});
