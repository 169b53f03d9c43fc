/**
 * The page: starts a run, follows it over the run's SSE stream, and when the
 * run pauses for `read_excel_range` asks the user for the cells and submits
 * them.
 */
import { clientToolPage } from "../shared/client-tool-page.js";

export const PAGE = clientToolPage({
  title: "Client tool demo",
  intro: "The agent pauses when it needs your spreadsheet; you answer, it carries on.",
  script: `
let source = null;

// The read router's stream: one "message" event per stored run event, its type inside the JSON.
function follow(id) {
  source?.close();
  source = new EventSource("/api/runs/" + id + "/events/stream");
  source.onmessage = async (message) => {
    const { event_type: type, data = {} } = JSON.parse(message.data);
    if (type === "run.started") log("run started");
    else if (type === "tool.completed") log("tool done: " + data.tool_name);
    else if (type === "run.paused") askFor(data.pending_tool_calls || []);
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
  const results = takeAnswers((call, payload) => ({ tool_call_id: call.id, tool_name: call.name, payload }));
  if (!results) return;
  $("status").textContent = "resuming…";
  // The run goes on in the server; the SSE stream shows the rest.
  const response = await fetch("/runs/" + runId + "/tool-results", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ results }) });
  if (!response.ok) log("submit failed: " + (await response.json()).detail, "error");
});
`,
});
