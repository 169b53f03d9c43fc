/** The page: reads each response body line by line, streams the text, and answers a pause with a second streamed POST. */
import { clientToolPage } from "../shared/client-tool-page.js";

export const PAGE = clientToolPage({
  title: "Client tool demo, streamed",
  intro: "One request per step: the answer streams in, and a pause is answered with a second streamed request.",
  extraStyle: "#output { white-space: pre-wrap; padding: .5rem .75rem; border-left: 3px solid #4a6ee0; margin: 1rem 0; min-height: 1.5em; }",
  extraBody: '<div id="output" data-testid="output"></div>',
  script: `
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
    case "run_paused": askFor(event.run_result.pending_tool_calls); break;
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
  const tool_results = takeAnswers((call, result) => ({ call_id: call.id, name: call.name, result }));
  if (!tool_results) return;
  $("output").textContent += "\\n";
  await post("/resume/" + runId, { tool_results });
});
`,
});
