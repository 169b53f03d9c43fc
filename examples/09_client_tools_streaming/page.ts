/** The page: reads each response body line by line, streams the text, and answers a pause with a second streamed POST. */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dendrux — client tool, streamed</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  .row { display: flex; gap: .5rem; }
  input { flex: 1; padding: .5rem; }
  .event { font: 13px ui-monospace, monospace; padding: .3rem .6rem; margin: .2rem 0; border-radius: .3rem; background: #f1f3f8; }
  .paused { background: #fff4d6; } .done { background: #e3f6e3; } .error { background: #fde4e4; }
  #output { white-space: pre-wrap; padding: .5rem .75rem; border-left: 3px solid #4a6ee0; margin: 1rem 0; min-height: 1.5em; }
  #tool-form { display: none; border: 1px solid #e0b84a; border-radius: .5rem; padding: .75rem; margin: 1rem 0; }
  #status { color: #7a8294; font-size: 12px; }
</style>
</head>
<body>
<h1>Client tool demo, streamed</h1>
<div class="row">
  <input data-testid="input" placeholder="Look up the AAPL price, then read cell A1 from my spreadsheet.">
  <button data-testid="start">Start</button>
</div>
<div id="output" data-testid="output"></div>
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

function log(text, kind = "") {
  const line = document.createElement("div");
  line.className = "event " + kind;
  line.dataset.testid = "event";
  line.textContent = text;
  $("events").append(line);
}

/** Reads an NDJSON body as it arrives, one event per line. */
async function consume(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split("\\n");
    buffer = lines.pop();
    for (const line of lines) if (line.trim()) handle(JSON.parse(line));
  }
  if (buffer.trim()) handle(JSON.parse(buffer));
}

function handle(event) {
  switch (event.type) {
    case "run_started": runId = event.run_id; log("run started: " + runId); break;
    case "run_resumed": log("run resumed"); break;
    case "text_delta": $("output").textContent += event.text; break;
    case "tool_use_start": log("calling " + event.tool_name); break;
    case "tool_result": log("tool done: " + event.tool_result.name + (event.tool_result.success ? "" : " (failed)")); break;
    case "run_paused": {
      pending = event.run_result.pending_tool_calls;
      const call = pending[0];
      $("tool-name").textContent = call.name;
      $("tool-params").textContent = JSON.stringify(call.params);
      $("tool-form").style.display = "block";
      log("paused: the agent needs " + call.name, "paused");
      $("status").textContent = "waiting for you";
      break;
    }
    case "run_completed": log("Answer: " + (event.run_result.answer ?? ""), "done"); $("status").textContent = "done"; break;
    case "run_error": case "run_cancelled": log(event.type + ": " + (event.error ?? ""), "error"); $("status").textContent = event.type; break;
  }
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) return log("request failed: " + ((await response.json()).error ?? response.status), "error");
  await consume(response);
}

$("start").addEventListener("click", async () => {
  const input = $("input").value.trim();
  if (!input) return;
  $("events").replaceChildren();
  $("output").textContent = "";
  $("status").textContent = "running…";
  await post("/chat", { input });
});

$("submit").addEventListener("click", async () => {
  const value = $("tool-result").value.trim();
  if (!runId || pending.length === 0 || !value) return;
  $("tool-form").style.display = "none";
  // Every pending call must be answered; this page gives them all the same value.
  const tool_results = pending.map((call) => ({ call_id: call.id, name: call.name, result: JSON.stringify(value) }));
  pending = [];
  $("output").textContent += "\\n";
  await post("/resume/" + runId, { tool_results });
});
</script>
</body>
</html>
`;
