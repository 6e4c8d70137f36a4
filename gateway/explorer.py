"""The query explorer a browser gets on ``GET /graphql``.

A self-contained page (no CDN, no external script: it works on an offline network): a query
editor, a variables editor, a switch to ask for the query plan, and the answer. It stands
in for GraphiQL until the portal work bundles GraphiQL's assets with the gateway.
"""

from __future__ import annotations

__all__ = ["EXPLORER_CSP", "EXPLORER_HTML"]

EXPLORER_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its inline code may only call this gateway."""

EXPLORER_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simpul explorer</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; display: flex; flex-direction: column;
         height: 100vh; color: #1d232a; }
  header { padding: 8px 12px; background: #0b5563; color: #fff; display: flex; gap: 12px;
           align-items: center; }
  header h1 { font-size: 16px; margin: 0; flex: 1; }
  main { flex: 1; display: grid; grid-template-columns: 1fr 1fr; min-height: 0; }
  section { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid #ccd; }
  label { font-size: 12px; padding: 4px 8px; background: #eef; }
  textarea, pre { font: 13px ui-monospace, monospace; margin: 0; padding: 8px; border: 0;
                  resize: none; outline: none; }
  #query { flex: 3; } #variables { flex: 1; border-top: 1px solid #ccd; }
  pre { flex: 1; overflow: auto; white-space: pre-wrap; background: #fafafc; }
  button { font: inherit; padding: 4px 14px; cursor: pointer; }
</style>
</head>
<body>
<header>
  <h1>Simpul explorer</h1>
  <label style="background:none"><input type="checkbox" id="plan"> query plan</label>
  <button id="run" title="Ctrl+Enter">Run</button>
</header>
<main>
  <section>
    <label for="query">Query</label>
    <textarea id="query" spellcheck="false">{ __typename }</textarea>
    <label for="variables">Variables (JSON)</label>
    <textarea id="variables" spellcheck="false">{}</textarea>
  </section>
  <section>
    <label>Response <span id="status"></span></label>
    <pre id="response"></pre>
  </section>
</main>
<script>
  const $ = (id) => document.getElementById(id);
  const saved = localStorage.getItem("simpul.query");
  if (saved) $("query").value = saved;
  async function run() {
    let variables;
    try {
      variables = JSON.parse($("variables").value || "{}");
    } catch (error) {
      $("response").textContent = "Variables are not valid JSON: " + error.message;
      return;
    }
    localStorage.setItem("simpul.query", $("query").value);
    const headers = {
      "Content-Type": "application/json",
      "Accept": "application/graphql-response+json, application/json",
    };
    if ($("plan").checked) headers["simpul-include-query-plan"] = "true";
    $("status").textContent = "…";
    const started = performance.now();
    try {
      const answer = await fetch(location.pathname, {
        method: "POST", headers, body: JSON.stringify({ query: $("query").value, variables }),
      });
      const text = await answer.text();
      const ms = Math.round(performance.now() - started);
      $("status").textContent = `HTTP ${answer.status}, ${ms} ms`;
      try {
        const body = JSON.parse(text);
        const plan = body.extensions && body.extensions.queryPlan;
        $("response").textContent = JSON.stringify(body, null, 2) +
          (typeof plan === "string" ? "\\n\\n" + plan : "");
      } catch (error) {
        $("response").textContent = text;
      }
    } catch (error) {
      $("status").textContent = "";
      $("response").textContent = "Request failed: " + error.message;
    }
  }
  $("run").addEventListener("click", run);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") run();
  });
</script>
</body>
</html>
"""
