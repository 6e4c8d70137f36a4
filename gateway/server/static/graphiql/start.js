// Renders GraphiQL into the page the gateway serves on GET /graphql (gateway/graphiql.py).
// A file of its own because the page's Content-Security-Policy allows no inline script.
"use strict";

(function () {
  var defaultQuery = [
    "# Simpul: write a query, run it with Ctrl-Enter (Cmd-Enter on a Mac).",
    "# The Docs button (top left) shows every type and field of the API schema.",
    "#",
    "# To see the gateway's query plan, set simpul-include-query-plan to \"true\" in the",
    "# Headers tab below: the plan comes back under extensions.queryPlan (the gateway",
    "# must run with engine.expose_query_plan on).",
    "",
    "{",
    "  __typename",
    "}",
    "",
  ].join("\n");

  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: JSON.stringify({ "simpul-include-query-plan": "false" }, null, 2),
      defaultEditorToolsVisibility: "headers",
    })
  );
})();
