/**
 * The page. Everything it does is plain fetch + EventSource against the
 * server's routes: a chat whose turns may pause for a client-side tool or an
 * approval, and a safety panel fed by the run's live event stream (denials,
 * budget warnings, guardrail findings).
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Duskwell support — dendrux full-stack demo</title>
<style>
  :root { --ink: #1d2330; --muted: #7a8294; --line: #e3e6ee; --accent: #3d63dd; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: var(--ink); background: #f7f8fb; }
  header { display: flex; align-items: center; gap: .75rem; padding: .75rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 16px; margin: 0 auto 0 0; }
  main { display: grid; grid-template-columns: 1fr 22rem; gap: 1rem; padding: 1rem 1.25rem; max-width: 72rem; margin: 0 auto; }
  section { background: #fff; border: 1px solid var(--line); border-radius: .6rem; padding: 1rem; }
  .message { margin: .5rem 0; padding: .5rem .75rem; border-radius: .5rem; white-space: pre-wrap; }
  .message.user { background: #e8eefc; margin-left: 3rem; }
  .message.agent { background: #f1f3f8; margin-right: 3rem; }
  .message.error { background: #fde4e4; }
  .role { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .composer { display: flex; gap: .5rem; margin-top: .75rem; }
  .composer input { flex: 1; padding: .55rem; border: 1px solid var(--line); border-radius: .4rem; }
  button { padding: .45rem .9rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #e8ebf3; color: var(--ink); }
  button:disabled { opacity: .5; cursor: default; }
  .tries { display: flex; flex-wrap: wrap; gap: .35rem; margin-top: .5rem; }
  .tries button { font-size: 12px; padding: .25rem .6rem; }
  .panel { display: none; border: 1px solid #e0b84a; background: #fffaf0; border-radius: .5rem; padding: .75rem; margin: .75rem 0; }
  .panel.active { display: block; }
  .args { font: 12px ui-monospace, monospace; background: #fff; border: 1px solid var(--line); border-radius: .3rem; padding: .4rem .6rem; margin: .4rem 0; }
  .card { border-left: 3px solid var(--muted); background: #f7f8fb; border-radius: .3rem; padding: .4rem .6rem; margin: .4rem 0; }
  .card.deny, .card.block { border-color: #d43c3c; } .card.redact { border-color: #3d63dd; } .card.warn, .card.budget { border-color: #e0a21a; }
  .card strong { display: block; }
  .timeline div { font-size: 12px; color: var(--muted); }
  .empty { color: var(--muted); font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1>Duskwell support</h1>
  <label>Model <select data-testid="provider"></select></label>
  <button class="secondary" data-testid="new-session">New session</button>
  <button class="secondary" data-testid="cancel" disabled>Cancel run</button>
  <a href="/dashboard/" target="_blank">Dashboard</a>
</header>
<main>
  <section>
    <div data-testid="conversation"></div>
    <div class="panel" data-testid="approval-form">
      <strong>Approval needed: <span data-testid="approval-tool"></span></strong>
      <div class="args" data-testid="approval-args"></div>
      <input data-testid="reject-reason" placeholder="Reason, if you reject">
      <button data-testid="approve">Approve</button>
      <button class="secondary" data-testid="reject">Reject</button>
    </div>
    <div class="panel" data-testid="tool-form">
      <strong>Your browser runs: <span data-testid="tool-name"></span></strong>
      <div class="args" data-testid="tool-args"></div>
      <input data-testid="tool-result" placeholder="What happened (sent back to the agent)">
      <button data-testid="tool-submit">Send result</button>
    </div>
    <form class="composer" data-testid="composer"><input data-testid="message" autocomplete="off" placeholder="Ask the support agent…"><button data-testid="send">Send</button></form>
    <div class="tries">
      <button type="button" class="secondary" data-try="Refund order 4421 for $50.">refund (approval)</button>
      <button type="button" class="secondary" data-try="Please contact the customer at jane@acme.com about the delayed parcel.">contact (client tool + redaction)</button>
      <button type="button" class="secondary" data-try="Delete account user-99 right now.">delete (denied)</button>
      <button type="button" class="secondary" data-try="My AWS key is AKIAIOSFODNN7EXAMPLE, keep it on file.">secret (blocked)</button>
      <button type="button" class="secondary" data-try="Follow up on TKT-041729 and order 5102.">ticket (warn)</button>
    </div>
  </section>
  <aside>
    <section>
      <strong>Safety</strong>
      <div data-testid="safety"><p class="empty">Denials, approvals, budget warnings and guardrail findings appear here as they happen.</p></div>
    </section>
    <section class="timeline" style="margin-top: 1rem"><strong>Timeline</strong><div data-testid="timeline"></div></section>
  </aside>
</main>
<script type="module">
const $ = (id) => document.querySelector("[data-testid=" + id + "]");
const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? sessionStorage.getItem("token") ?? prompt("App token") ?? "";
sessionStorage.setItem("token", token);
const headers = { "content-type": "application/json", "x-app-token": token };
let thread = "web_" + Math.random().toString(36).slice(2, 10);
let runId = null;
let pending = [];
let events = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function say(role, text, kind = role) {
  const message = el("div", "message " + kind);
  message.dataset.testid = role === "user" ? "user-message" : "agent-message";
  message.append(el("div", "role", role === "user" ? "You" : "Agent"), el("div", "", text));
  $("conversation").append(message);
}
function note(text) {
  $("timeline").append(el("div", "", new Date().toLocaleTimeString() + "  " + text));
}
function card(kind, title, detail) {
  $("safety").querySelector(".empty")?.remove();
  const node = el("div", "card " + kind);
  node.dataset.testid = "card";
  node.dataset.kind = kind;
  node.append(el("strong", "", title), el("span", "", detail));
  $("safety").append(node);
}
function busy(on) {
  $("send").disabled = on;
  $("cancel").disabled = !on || !runId;
}

// The run's stored events, live: the safety panel and the timeline come from here.
function follow(id) {
  events?.close();
  events = new EventSource("/api/dendrux/runs/" + id + "/events/stream?token=" + encodeURIComponent(token));
  events.onmessage = (message) => {
    const { event_type: type, data = {} } = JSON.parse(message.data);
    const entities = (data.entities || []).join(", ");
    if (type === "policy.denied") card("deny", "Tool denied by policy", data.tool_name + " did not run");
    else if (type === "budget.threshold") card("budget", "Budget " + Math.round(data.fraction * 100) + "% used", data.used + " / " + data.max + " tokens, advisory");
    else if (type === "budget.exceeded") card("budget", "Budget exceeded", data.used + " / " + data.max + " tokens, advisory");
    else if (type === "guardrail.redacted") card("redact", "Redacted before the model", entities + " → placeholders; tools get the real values");
    else if (type === "guardrail.detected") card("warn", "Guardrail detected", data.findings_count + " finding(s) in " + data.direction + " text: " + entities);
    else if (type === "guardrail.blocked") card("block", "Guardrail blocked the run", data.error || "");
    else if (type.startsWith("run.") || type.startsWith("approval.") || type === "tool.completed") note(type + (data.tool_name ? " " + data.tool_name : ""));
    if (["run.completed", "run.error", "run.cancelled"].includes(type)) events.close();
  };
}

function show(result) {
  pending = result.pending_tool_calls || [];
  $("approval-form").classList.remove("active");
  $("tool-form").classList.remove("active");
  const call = pending[0];
  if (result.status === "waiting_approval" && call) {
    $("approval-tool").textContent = call.name;
    $("approval-args").textContent = JSON.stringify(call.params);
    $("approval-form").classList.add("active");
    return;
  }
  if (result.status === "waiting_client_tool" && call) {
    $("tool-name").textContent = call.name;
    $("tool-args").textContent = JSON.stringify(call.params);
    $("tool-form").classList.add("active");
    return;
  }
  busy(false);
  if (result.status === "success") {
    say("agent", result.answer ?? "");
    const placeholders = Object.keys(result.pii_mapping || {});
    if (placeholders.length) card("redact", "The model saw placeholders", placeholders.join(", ") + "; you see the real values");
  } else say("agent", result.status + (result.error ? ": " + result.error : ""), "error");
}

async function call(method, path, body) {
  const response = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  const result = await response.json();
  if (!response.ok) {
    say("agent", "HTTP " + response.status + ": " + (result.detail ?? ""), "error");
    busy(false);
    return null;
  }
  return result;
}

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = $("message").value.trim();
  if (!input) return;
  $("message").value = "";
  say("user", input);
  busy(true);
  const result = await call("POST", "/chat", { input, provider: $("provider").value, thread_id: thread });
  if (!result) return;
  runId = result.run_id;
  follow(runId);
  show(result);
});

$("approve").addEventListener("click", async () => {
  $("approval-form").classList.remove("active");
  const result = await call("POST", "/runs/" + runId + "/approvals", { approved: true, provider: $("provider").value });
  if (result) show(result);
});
$("reject").addEventListener("click", async () => {
  $("approval-form").classList.remove("active");
  const reason = $("reject-reason").value.trim() || "Rejected in the demo page.";
  const result = await call("POST", "/runs/" + runId + "/approvals", { approved: false, rejection_reason: reason, provider: $("provider").value });
  if (result) show(result);
});
$("tool-submit").addEventListener("click", async () => {
  const value = $("tool-result").value.trim();
  if (!value) return;
  $("tool-form").classList.remove("active");
  $("tool-result").value = "";
  // Every pending client call is answered; this page gives them all the same text.
  const results = pending.map((c) => ({ tool_call_id: c.id, tool_name: c.name, payload: JSON.stringify(value) }));
  const result = await call("POST", "/runs/" + runId + "/tool-results", { results, provider: $("provider").value });
  if (result) show(result);
});
$("cancel").addEventListener("click", async () => {
  const result = await call("DELETE", "/runs/" + runId + "?provider=" + $("provider").value);
  if (result) show(result);
});
$("new-session").addEventListener("click", () => {
  thread = "web_" + Math.random().toString(36).slice(2, 10);
  events?.close();
  for (const id of ["conversation", "timeline"]) $(id).replaceChildren();
  $("safety").replaceChildren(el("p", "empty", "Denials, approvals, budget warnings and guardrail findings appear here as they happen."));
  busy(false);
});
for (const button of document.querySelectorAll("[data-try]")) button.addEventListener("click", () => { $("message").value = button.dataset.try; $("message").focus(); });

const { providers } = await (await fetch("/providers", { headers })).json();
for (const name of providers) $("provider").append(el("option", "", name));
document.body.dataset.ready = "true";
</script>
</body>
</html>
`;
