// The dendrux dashboard: a dependency-free single page over the dashboard's JSON API.
const API = new URL("api/", document.baseURI);
const app = document.getElementById("app");
const inspector = document.getElementById("inspector");
const TOKEN_KEY = "dendrux_auth_token";
let listTimer = null;

const STATUS = { success: "Success", error: "Error", running: "Running", waiting_client_tool: "Waiting on client", waiting_human_input: "Waiting for input", waiting_approval: "Waiting for approval", cancelled: "Cancelled", max_iterations: "Max iterations" };
const ICON = { run_started: "▶", llm_call: "◆", tool_call: "⚙", pause_segment: "⏸", finish: "✓", error: "✕", cancelled: "⊘", governance_event: "⛨" };

const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const badge = (s) => `<span class="badge ${esc(s)}" data-testid="status">${esc(STATUS[s] ?? s)}</span>`;
const cost = (c) => (c === null || c === undefined ? "-" : c < 0.01 ? `$${c.toFixed(4)}` : `$${c.toFixed(3)}`);
const duration = (ms) => (ms === null || ms === undefined ? "" : ms < 1000 ? `${ms}ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60000)}m ${Math.round((ms % 60000) / 1000)}s`);
const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "");
function ago(iso) {
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return new Date(iso).toLocaleDateString();
}

async function api(path, retried = false) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, API), { headers });
  if (response.status === 401 && !retried) {
    const answer = prompt("Dashboard auth token required:");
    if (answer) {
      sessionStorage.setItem(TOKEN_KEY, answer);
      return api(path, true);
    }
  }
  if (!response.ok) throw new Error(`API error: ${response.status} ${response.statusText}`);
  return response.json();
}

const listState = { status: "", agent: "" };

async function renderList() {
  if (!app.querySelector("[data-testid=runs]")) {
    app.innerHTML = `<header><h1>Dendrux Dashboard</h1><span class="muted" data-testid="total"></span></header>
      <div id="banner"></div>
      <div class="filters">
        <select id="status" aria-label="Status"><option value="">All statuses</option>${Object.entries(STATUS).map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select>
        <input id="agent" placeholder="Filter by agent..." aria-label="Agent" />
      </div>
      <table data-testid="runs"><thead><tr><th>Agent</th><th>Status</th><th>Iters</th><th>Tokens</th><th>Cost</th><th>Pauses</th><th>Time</th></tr></thead><tbody>${'<tr><td colspan="7"><div class="skeleton"></div></td></tr>'.repeat(8)}</tbody></table>`;
    app.querySelector("#status").value = listState.status;
    app.querySelector("#agent").value = listState.agent;
    app.querySelector("#status").addEventListener("change", (e) => ((listState.status = e.target.value), loadList()));
    app.querySelector("#agent").addEventListener("change", (e) => ((listState.agent = e.target.value.trim()), loadList()));
  }
  await loadList();
  clearInterval(listTimer);
  listTimer = setInterval(loadList, 10000);
}

async function loadList() {
  const body = app.querySelector("[data-testid=runs] tbody");
  if (!body) return;
  const query = new URLSearchParams({ limit: "50" });
  if (listState.status) query.set("status", listState.status);
  if (listState.agent) query.set("agent", listState.agent);
  let data;
  try {
    data = await api(`runs?${query}`);
  } catch (error) {
    body.innerHTML = `<tr><td colspan="7" class="muted">Failed to load runs: ${esc(error.message)}</td></tr>`;
    return;
  }
  app.querySelector("[data-testid=total]").textContent = `${data.total} runs`;
  const waiting = data.runs.filter((r) => r.status === "waiting_client_tool" || r.status === "waiting_human_input").length;
  app.querySelector("#banner").innerHTML = waiting ? `<div class="banner" data-testid="banner">${waiting} run(s) waiting on client</div>` : "";
  if (data.runs.length === 0) {
    body.innerHTML = `<tr><td colspan="7" class="muted">No runs yet.</td></tr>`;
    return;
  }
  // A child run follows its parent when both are on the page.
  const byId = new Map(data.runs.map((r) => [r.run_id, r]));
  const ordered = [];
  const place = (r) => {
    if (ordered.includes(r)) return;
    ordered.push(r);
    data.runs.filter((c) => c.parent_run_id === r.run_id).forEach(place);
  };
  data.runs.filter((r) => !r.parent_run_id || !byId.has(r.parent_run_id)).forEach(place);
  body.innerHTML = ordered
    .map((r) => {
      const indent = r.delegation_level > 0 ? `<span style="padding-left:${(r.delegation_level - 1) * 16}px">└ </span><span class="badge">L${r.delegation_level}</span> ` : "";
      return `<tr data-run="${esc(r.run_id)}"><td>${indent}${esc(r.agent_name)}<div class="mono muted">${esc(r.run_id)}</div></td><td>${badge(r.status)}</td>
        <td>${r.iteration_count}</td><td>${(r.total_input_tokens + r.total_output_tokens).toLocaleString()}</td><td>${cost(r.total_cost_usd)}</td>
        <td>${r.pause_count}</td><td class="muted">${ago(r.created_at)}</td></tr>`;
    })
    .join("");
  body.querySelectorAll("tr[data-run]").forEach((tr) => tr.addEventListener("click", () => (location.hash = `#/runs/${tr.dataset.run}`)));
}

function nodeText(n) {
  switch (n.type) {
    case "run_started":
      return ["Run Started", `${n.agent_name ?? ""} · ${clock(n.timestamp)}`];
    case "llm_call":
      return [`LLM Call: ${n.model ?? ""}`, `${(n.input_tokens + n.output_tokens).toLocaleString()} tokens${n.cache_read_input_tokens ? ` · ${n.cache_read_input_tokens} cached` : ""} · ${cost(n.cost_usd)} · Iter ${n.iteration}${n.assistant_text ? ` — ${n.assistant_text.slice(0, 120)}` : ""}`];
    case "tool_call":
      return [`${n.target === "client" ? "Client" : "Server"} Tool: ${n.tool_name}`, `${n.success ? "Success" : "Failed"} · ${duration(n.duration_ms)}`];
    case "pause_segment": {
      const title = n.pause_status === "waiting_approval" ? "Awaiting Approval" : n.pause_status === "waiting_human_input" ? "Awaiting Input" : "Suspended Bridge";
      const pending = n.pending_tool_calls.map((c) => `Awaiting ${c.tool_name} (${c.target})`).join(", ");
      const resumed = n.resumed_at ? ` · Resumed after ${duration(n.wait_duration_ms)}${n.submitted_results.length ? ` · ${n.submitted_results.length} result(s) submitted` : ""}${n.user_input ? " · User responded" : ""}` : " · waiting";
      return [title, `${pending}${resumed}`];
    }
    case "finish":
      return [`Finish: ${STATUS[n.status] ?? n.status}`, "Workflow execution completed."];
    case "error":
      return ["Error", n.error ?? ""];
    case "cancelled":
      return ["Cancelled", clock(n.timestamp)];
    default: {
      const d = n.data ?? {};
      const summary = [d.tool_name, d.decision, d.fraction !== undefined ? `${Math.round(d.fraction * 100)}% (${d.used}/${d.max})` : d.used !== undefined ? `${d.used}/${d.max} tokens` : "", d.direction, d.findings_count !== undefined ? `(${d.findings_count} findings)` : "", d.entities ? `[${d.entities.join(", ")}]` : "", d.skill_name, d.source_name, d.error]
        .filter(Boolean)
        .join(" - ");
      return [n.title, `${n.event_type} · ${summary}`];
    }
  }
}

async function renderRun(runId) {
  clearInterval(listTimer);
  app.innerHTML = `<div class="skeleton"></div><div class="skeleton"></div>`;
  let run;
  try {
    run = await api(`runs/${encodeURIComponent(runId)}`);
  } catch (error) {
    app.innerHTML = `<p><a href="#/">← Runs</a></p><p class="muted">Failed to load run: ${esc(error.message)}</p>`;
    return;
  }
  const s = run.summary;
  const d = run.delegation;
  const delegation =
    d && (d.parent || d.children.length)
      ? `<div class="panel" data-testid="delegation"><div class="muted">${d.ancestry.map((a) => `<a href="#/runs/${esc(a.run_id)}">${esc(a.agent_name)}</a>`).join(" / ")}${d.ancestry_complete ? "" : " ..."} / current</div>
         ${d.children.length ? `<div>Children (${d.children.length}): ${d.children.map((c) => `<a href="#/runs/${esc(c.run_id)}">${esc(c.agent_name)}</a> ${badge(c.status)}`).join(" ")}</div>` : ""}</div>`
      : "";
  const iterations = new Map();
  for (const n of run.nodes.filter((n) => n.type === "llm_call")) iterations.set(n.iteration, (iterations.get(n.iteration) ?? 0) + n.input_tokens + n.output_tokens);
  const max = Math.max(1, ...iterations.values());
  app.innerHTML = `<header><a href="#/">← Runs</a><h1>Dendrux Run</h1></header>
    <div><strong data-testid="agent">${esc(s.agent_name)}</strong> <span class="mono muted">${esc(s.run_id)}</span> ${badge(s.status)}</div>
    <div class="stats"><div><span>Model</span>${esc(s.model ?? "-")}</div><div><span>Tokens</span>${(s.total_input_tokens + s.total_output_tokens).toLocaleString()}</div>
      ${s.total_reasoning_tokens > 0 ? `<div><span>Reasoning</span>${s.total_reasoning_tokens.toLocaleString()}</div>` : ""}<div><span>Cost</span>${cost(s.total_cost_usd)}</div></div>
    ${delegation}
    <h2>Timeline</h2>
    ${run.nodes.length ? `<ol class="timeline" data-testid="timeline">${run.nodes
      .map((n, i) => {
        const [title, meta] = nodeText(n);
        return `<li class="node ${n.type} ${n.severity ? `sev-${n.severity}` : ""}" data-index="${i}" data-testid="node"><div class="title">${ICON[n.type] ?? "•"} ${esc(title)}</div><div class="meta">${esc(meta)}</div></li>`;
      })
      .join("")}</ol>` : `<p class="muted">This run predates timeline events.</p><pre>${esc(s.input_text)}\n\n${esc(s.answer ?? s.error ?? "")}</pre>`}
    <h2>Token Usage by Iteration</h2>
    <div class="bars">${[...iterations].map(([it, t]) => `<div class="bar" title="Iter ${it}: ${t} tokens" style="height:${Math.max(4, (t / max) * 80)}px"></div>`).join("")}</div>`;
  app.querySelectorAll("[data-testid=node]").forEach((li) =>
    li.addEventListener("click", () => {
      const selected = li.classList.contains("selected");
      app.querySelectorAll(".node.selected").forEach((x) => x.classList.remove("selected"));
      if (selected) return closeInspector();
      li.classList.add("selected");
      inspect(run, run.nodes[Number(li.dataset.index)]);
    }),
  );
}

async function inspect(run, node) {
  inspector.hidden = false;
  let extra = "";
  if (node.type === "llm_call") {
    try {
      const { llm_calls } = await api(`runs/${encodeURIComponent(run.summary.run_id)}/llm-calls`);
      const call = llm_calls.find((c) => c.iteration_index === node.iteration);
      if (call) extra = `<h3>Semantic Request</h3><pre>${esc(JSON.stringify(call.semantic_request, null, 2))}</pre><h3>Semantic Response</h3><pre>${esc(JSON.stringify(call.semantic_response, null, 2))}</pre>`;
    } catch (error) {
      extra = `<p class="muted">${esc(error.message)}</p>`;
    }
  }
  inspector.innerHTML = `<button aria-label="Close" id="close">×</button><h2>${esc(nodeText(node)[0])}</h2><pre data-testid="payload">${esc(JSON.stringify(node, null, 2))}</pre>${extra}<p class="muted mono">seq #${node.sequence_index} · ${node.type}</p>`;
  inspector.querySelector("#close").addEventListener("click", closeInspector);
}

function closeInspector() {
  inspector.hidden = true;
  inspector.innerHTML = "";
}

document.addEventListener("keydown", (e) => e.key === "Escape" && closeInspector());

function route() {
  closeInspector();
  const match = /^#\/runs\/(.+)$/.exec(location.hash);
  if (match) return renderRun(decodeURIComponent(match[1]));
  if (location.hash && location.hash !== "#/") return void (location.hash = "#/");
  app.innerHTML = "";
  return renderList();
}

window.addEventListener("hashchange", route);
route();
