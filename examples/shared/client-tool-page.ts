/**
 * What the two client-tool pages (examples 03 and 09) share: the layout, the
 * question box, the form that answers the client tool, and a log of events.
 * Each page adds its own way of following the run.
 */
export function clientToolPage(options: { title: string; intro: string; extraStyle?: string; extraBody?: string; script: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dendrux — ${options.title}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  .row { display: flex; gap: .5rem; }
  input { flex: 1; padding: .5rem; }
  .event { font: 13px ui-monospace, monospace; padding: .3rem .6rem; margin: .2rem 0; border-radius: .3rem; background: #f1f3f8; }
  .paused { background: #fff4d6; } .done { background: #e3f6e3; } .error { background: #fde4e4; }
  #tool-form { display: none; border: 1px solid #e0b84a; border-radius: .5rem; padding: .75rem; margin: 1rem 0; }
  #status { color: #7a8294; font-size: 12px; }
  ${options.extraStyle ?? ""}
</style>
</head>
<body>
<h1>${options.title}</h1>
<p>${options.intro}</p>
<div class="row">
  <input data-testid="input" placeholder="Look up the AAPL price, then read cell A1 from my spreadsheet.">
  <button data-testid="start">Start</button>
</div>
${options.extraBody ?? ""}
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

/** Shows the form for the first pending client call. */
function askFor(calls) {
  pending = calls;
  if (calls.length === 0) return;
  $("tool-name").textContent = calls[0].name;
  $("tool-params").textContent = JSON.stringify(calls[0].params);
  $("tool-form").style.display = "block";
  log("paused: the agent needs " + calls[0].name, "paused");
  $("status").textContent = "waiting for you";
}

/** The form's answer for every pending call (this page gives them all the same value), or null. */
function takeAnswers(toResult) {
  const value = $("tool-result").value.trim();
  if (!runId || pending.length === 0 || !value) return null;
  $("tool-form").style.display = "none";
  const results = pending.map((call) => toResult(call, JSON.stringify(value)));
  pending = [];
  return results;
}
${options.script}
</script>
</body>
</html>
`;
}
