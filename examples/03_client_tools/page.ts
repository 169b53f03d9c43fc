/**
 * The page: starts a run, follows it over the run's SSE stream, and when the
 * run pauses for `read_excel_range` asks the user for the cells and submits
 * them.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dendrux — client tool</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  .row { display: flex; gap: .5rem; }
  input { flex: 1; padding: .5rem; }
  .event { font: 13px ui-monospace, monospace; padding: .3rem .6rem; margin: .2rem 0; border-radius: .3rem; background: #f1f3f8; }
  .paused { background: #fff4d6; } .done { background: #e3f6e3; } .error { background: #fde4e4; }
  #tool-form { display: none; border: 1px solid #e0b84a; border-radius: .5rem; padding: .75rem; margin: 1rem 0; }
  #status { color: #7a8294; font-size: 12px; }
</style>
</head>
<body>
<h1>Client tool demo</h1>
<p>The agent pauses when it needs your spreadsheet; you answer, it carries on.</p>
<div class="row">
  <input data-testid="input" placeholder="Look up the AAPL price, then read cell A1 from my spreadsheet.">
  <button data-testid="start">Start</button>
</div>
<div data-testid="events"></div>
<div id="tool-form" data-testid="tool-form">
  <strong>The agent needs: <span data-testid="tool-name"></span> <code data-testid="tool-params"></code></strong>
  <div class="row"><input data-testid="tool-result" placeholder="What the cells contain"><button data-testid="submit">Send result</button></div>
</div>
<p id="status" data-testid="status"></p>
<script type="module">
const $ = (id) => document.querySelector("[data-testid=" + id + "]");
let runId = null;
let pending = [];
let source = null;

function log(text, kind = "") {
  const line = document.createElement("div");
  line.className = "event " + kind;
  line.dataset.testid = "event";
  line.textContent = text;
  $("events").append(line);
}

// The read router's stream: one "message" event per stored run event, its type inside the JSON.
function follow(id) {
  source?.close();
  source = new EventSource("/api/runs/" + id + "/events/stream");
  source.onmessage = async (message) => {
    const { event_type: type, data = {} } = JSON.parse(message.data);
    if (type === "run.started") log("run started");
    else if (type === "tool.completed") log("tool done: " + data.tool_name);
    else if (type === "run.paused") paused(data.pending_tool_calls || []);
    else if (type === "run.completed") {
      source.close();
      const run = await (await fetch("/api/runs/" + id)).json();
      log("Answer: " + (run.answer ?? ""), "done");
      $("status").textContent = "done";
    } else if (type === "run.error" || type === "run.cancelled") {
      source.close();
      log(type + (data.error ? ": " + data.error : ""), "error");
      $("status").textContent = type;
    }
  };
}

function paused(calls) {
  pending = calls;
  if (calls.length === 0) return;
  $("tool-name").textContent = calls[0].name;
  $("tool-params").textContent = JSON.stringify(calls[0].params);
  $("tool-form").style.display = "block";
  log("paused: the agent needs " + calls[0].name, "paused");
  $("status").textContent = "waiting for you";
}

$("start").addEventListener("click", async () => {
  const input = $("input").value.trim();
  if (!input) return;
  $("events").replaceChildren();
  $("status").textContent = "running…";
  const response = await fetch("/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ input }) });
  const run = await response.json();
  if (!response.ok) return log("could not start: " + run.detail, "error");
  runId = run.run_id;
  log("run " + runId + " → " + run.status);
  follow(runId);
});

$("submit").addEventListener("click", async () => {
  const value = $("tool-result").value.trim();
  if (!runId || pending.length === 0 || !value) return;
  $("tool-form").style.display = "none";
  // Every pending call must be answered; this page gives them all the same value.
  const results = pending.map((call) => ({ tool_call_id: call.id, tool_name: call.name, payload: JSON.stringify(value) }));
  pending = [];
  $("status").textContent = "resuming…";
  const response = await fetch("/runs/" + runId + "/tool-results", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ results }) });
  if (!response.ok) log("submit failed: " + (await response.json()).detail, "error");
});
</script>
</body>
</html>
`;
