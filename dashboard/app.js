// The dendrux dashboard: Preact + htm (no build step), served with the package; nothing comes from a CDN.
// Every value is rendered as text by Preact; nothing here writes HTML strings.
import { h, render } from "./vendor/preact.mjs";
import { useCallback, useEffect, useRef, useState } from "./vendor/hooks.mjs";
import htm from "./vendor/htm.mjs";

const html = htm.bind(h);
const API = new URL("api/", document.baseURI);
const TOKEN_KEY = "dendrux_auth_token";
const LIVE_MS = 2000;

const STATUS = {
  success: "Success",
  error: "Error",
  running: "Running",
  pending: "Pending",
  waiting_client_tool: "Waiting on client",
  waiting_human_input: "Waiting for input",
  waiting_approval: "Waiting for approval",
  cancelled: "Cancelled",
  max_iterations: "Max iterations",
};
const TERMINAL = new Set(["success", "error", "cancelled", "max_iterations"]);
const WAITING = new Set(["waiting_client_tool", "waiting_human_input", "waiting_approval"]);

// ---- formatting: numbers are checked, never trusted --------------------------------------------------------------
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const count = (v) => (num(v) === null ? "—" : num(v).toLocaleString("en-US"));
const tokens = (a, b) => (num(a) === null && num(b) === null ? "—" : ((num(a) ?? 0) + (num(b) ?? 0)).toLocaleString("en-US"));
const cost = (c) => (num(c) === null ? "-" : c < 0.01 ? `$${c.toFixed(4)}` : `$${c.toFixed(3)}`);
const duration = (ms) => (num(ms) === null ? "" : ms < 1000 ? `${ms}ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60000)}m ${Math.round((ms % 60000) / 1000)}s`);
const clock = (iso) => (typeof iso === "string" && iso ? new Date(iso).toLocaleTimeString() : "");
const text = (v) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
function ago(iso) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const s = (Date.now() - t) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return new Date(iso).toLocaleDateString();
}

// ---- API ------------------------------------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : `API error: ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, { method = "GET", body, retried = false } = {}) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(new URL(path, API), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !retried) {
    const answer = prompt("Dashboard auth token required:");
    if (answer) {
      sessionStorage.setItem(TOKEN_KEY, answer);
      return api(path, { method, body, retried: true });
    }
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

/** Loads `path` now and again every LIVE_MS while `live()` says so; `reload` forces a fetch. */
function usePolled(path, live) {
  const [state, setState] = useState({ data: null, error: null });
  const liveRef = useRef(live);
  liveRef.current = live;
  const load = useCallback(async () => {
    if (path === null) return;
    try {
      const data = await api(path);
      setState({ data, error: null });
    } catch (error) {
      setState((s) => ({ data: s.data, error }));
    }
  }, [path]);
  useEffect(() => {
    setState({ data: null, error: null });
    void load();
    const timer = setInterval(() => {
      if (liveRef.current(stateRef.current.data)) void load();
    }, LIVE_MS);
    return () => clearInterval(timer);
  }, [load]);
  const stateRef = useRef(state);
  stateRef.current = state;
  return [state, load];
}

// ---- icons (inline SVG, no fonts) -------------------------------------------------------------------------------------
const PATHS = {
  play: "M8 5v14l11-7z",
  llm: "M12 2a7 7 0 0 0-4 12.7V17h8v-2.3A7 7 0 0 0 12 2zm-3 17h6v2H9z",
  tool: "M22 19l-9.1-9.1a6 6 0 0 0-7.6-7.6l3.9 3.9-2.8 2.8-3.9-3.9a6 6 0 0 0 7.6 7.6L19 22z",
  pause: "M6 5h4v14H6zm8 0h4v14h-4z",
  check: "M9 16.2l-4.2-4.2-1.4 1.4L9 19 21 7l-1.4-1.4z",
  cross: "M19 6.4L17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z",
  ban: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 0 1 6.3 12.9L7.1 5.7A8 8 0 0 1 12 4zm0 16a8 8 0 0 1-6.3-12.9l11.2 11.2A8 8 0 0 1 12 20z",
  shield: "M12 2L4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5z",
  warn: "M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3 0-8 1.5-8 4.5V21h16v-2.5c0-3-5-4.5-8-4.5z",
  thread: "M4 4h16v12H7l-3 3z",
};
const Icon = ({ name, label }) =>
  html`<svg class="icon icon-${name}" viewBox="0 0 24 24" width="16" height="16" aria-hidden=${label ? undefined : "true"} role=${label ? "img" : undefined} aria-label=${label}><path d=${PATHS[name]} fill="currentColor" /></svg>`;

const Badge = ({ status }) => html`<span class="badge ${STATUS[status] ? status : "other"}" data-testid="status">${STATUS[status] ?? text(status)}</span>`;

/** A text filter: typing is kept locally (a live refresh never resets it), applied on Enter or leaving the box. */
function FilterInput({ id, label, placeholder, value, onCommit }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => draft.trim() !== value && onCommit(draft.trim());
  return html`<input id=${id} aria-label=${label} placeholder=${placeholder} value=${draft} onInput=${(e) => setDraft(e.currentTarget.value)} onChange=${commit}
    onKeyDown=${(e) => e.key === "Enter" && commit()} />`;
}

// ---- run list -------------------------------------------------------------------------------------------------------
const PAGE_SIZE = 50;
function RunList({ query, setQuery }) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (query.q) params.set("q", query.q);
  if (query.status) params.set("status", query.status);
  if (query.agent) params.set("agent", query.agent);
  if (query.thread) params.set("thread", query.thread);
  for (const pair of query.metadata.split(/[,;]\s*/).filter(Boolean)) params.append("metadata", pair.trim());
  if (query.before) params.set("before", query.before);
  const [{ data, error }] = usePolled(`runs?${params}`, () => true);
  // A new filter starts again from the newest run; `trail` holds the cursors of the newer pages.
  const filter = (changes) => setQuery({ ...query, ...changes, before: "", trail: [] });
  const field = (key, label, placeholder) =>
    html`<${FilterInput} id=${key} label=${label} placeholder=${placeholder} value=${query[key]} onCommit=${(value) => filter({ [key]: value })} />`;
  const runs = data?.runs ?? [];
  const waiting = runs.filter((r) => WAITING.has(r.status)).length;
  // A child run follows its parent when both are on the page.
  const byId = new Map(runs.map((r) => [r.run_id, r]));
  const ordered = [];
  const place = (r) => {
    if (ordered.includes(r)) return;
    ordered.push(r);
    runs.filter((c) => c.parent_run_id === r.run_id).forEach(place);
  };
  runs.filter((r) => !r.parent_run_id || !byId.has(r.parent_run_id)).forEach(place);
  return html`
    <header><h1>Dendrux Dashboard</h1><span class="muted" data-testid="total">${data ? `${count(data.total)}${data.total_capped ? "+" : ""} runs` : ""}</span></header>
    ${waiting ? html`<div class="banner" data-testid="banner">${waiting} run(s) waiting on client</div>` : null}
    <div class="filters">
      ${field("q", "Run id", "Run id…")}
      <select id="status" aria-label="Status" value=${query.status} onChange=${(e) => filter({ status: e.currentTarget.value })}>
        <option value="">All statuses</option>
        ${Object.entries(STATUS).map(([v, l]) => html`<option value=${v}>${l}</option>`)}
      </select>
      ${field("agent", "Agent", "Filter by agent...")} ${field("thread", "Thread", "Thread id…")} ${field("metadata", "Metadata", "key=value, …")}
    </div>
    ${error ? html`<p class="muted" data-testid="error">Failed to load runs: ${error.message}</p>` : null}
    <table data-testid="runs">
      <thead><tr><th>Agent</th><th>Status</th><th>Iters</th><th>Tokens</th><th>Cost</th><th>Pauses</th><th>Time</th></tr></thead>
      <tbody>
        ${!data && !error ? Array.from({ length: 8 }, () => html`<tr><td colspan="7"><div class="skeleton"></div></td></tr>`) : null}
        ${data && runs.length === 0 ? html`<tr><td colspan="7" class="muted">No runs yet.</td></tr>` : null}
        ${ordered.map(
          (r) => html`<tr data-run=${r.run_id} onClick=${() => (location.hash = `#/runs/${encodeURIComponent(r.run_id)}`)}>
            <td>
              ${num(r.delegation_level) > 0 ? html`<span style=${{ paddingLeft: `${(r.delegation_level - 1) * 16}px` }}>└ </span><span class="badge">L${count(r.delegation_level)}</span> ` : null}
              ${text(r.agent_name)}<div class="mono muted">${text(r.run_id)}</div>
            </td>
            <td><${Badge} status=${r.status} /></td>
            <td>${count(r.iteration_count)}</td>
            <td>${tokens(r.total_input_tokens, r.total_output_tokens)}</td>
            <td>${cost(r.total_cost_usd)}</td>
            <td>${count(r.pause_count)}</td>
            <td class="muted">${ago(r.created_at)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="pager">
      ${query.before ? html`<button data-testid="newer" onClick=${() => setQuery({ ...query, before: query.trail.at(-1) ?? "", trail: query.trail.slice(0, -1) })}>← Newer</button>` : null}
      ${runs.length === PAGE_SIZE
        ? html`<button data-testid="older" onClick=${() => setQuery({ ...query, before: runs[runs.length - 1].run_id, trail: [...query.trail, query.before] })}>Older →</button>`
        : null}
    </div>`;
}

// ---- timeline ---------------------------------------------------------------------------------------------------------
const PAUSE_TITLE = { waiting_approval: "Awaiting Approval", waiting_human_input: "Awaiting Input", waiting_client_tool: "Awaiting Client Tool" };

/** [icon, tone, title, detail] for a node; `runStatus` decides how an unresumed pause ended. */
function describeNode(n, runStatus) {
  switch (n.type) {
    case "run_started":
      return ["play", "info", "Run Started", `${text(n.agent_name)} · ${clock(n.timestamp)}`];
    case "llm_call": {
      const cached = num(n.cache_read_input_tokens) ? ` · ${count(n.cache_read_input_tokens)} cached` : "";
      const said = typeof n.assistant_text === "string" && n.assistant_text ? ` — ${n.assistant_text.slice(0, 120)}` : "";
      return ["llm", "info", `LLM Call: ${text(n.model)}`, `${tokens(n.input_tokens, n.output_tokens)} tokens${cached} · ${cost(n.cost_usd)} · Iter ${count(n.iteration)}${said}`];
    }
    case "tool_call":
      return ["tool", n.success ? "ok" : "err", `${n.target === "client" ? "Client" : "Server"} Tool: ${text(n.tool_name)}`, `${n.success ? "Success" : "Failed"} · ${duration(n.duration_ms)}`];
    case "pause_segment": {
      const pending = (n.pending_tool_calls ?? []).map((c) => `Awaiting ${text(c.tool_name)} (${text(c.target)})`).join(", ");
      let outcome;
      if (n.resumed_at) {
        const submitted = (n.submitted_results ?? []).length;
        outcome = ` · Resumed after ${duration(n.wait_duration_ms)}${submitted ? ` · ${submitted} result(s) submitted` : ""}${n.user_input ? " · User responded" : ""}`;
      } else if (TERMINAL.has(runStatus)) {
        outcome = ` · Ended without a resume (${STATUS[runStatus] ?? text(runStatus)})`;
      } else {
        outcome = " · waiting";
      }
      return ["pause", "pause", PAUSE_TITLE[n.pause_status] ?? `Paused (${text(n.pause_status)})`, `${pending}${outcome}`];
    }
    case "finish": {
      const ok = n.status === "success";
      return [ok ? "check" : n.status === "max_iterations" ? "warn" : "cross", ok ? "ok" : n.status === "max_iterations" ? "warn" : "err", `Finish: ${STATUS[n.status] ?? text(n.status)}`, ok ? "Workflow execution completed." : `The run ended ${text(n.status)}.`];
    }
    case "error":
      return ["cross", "err", "Error", text(n.error)];
    case "cancelled":
      return ["ban", "warn", "Cancelled", clock(n.timestamp)];
    default: {
      const d = n.data ?? {};
      const used = d.used !== undefined ? `${text(d.used)}/${text(d.max)}` : "";
      const summary = [d.tool_name, d.decision, num(d.fraction) !== null ? `${Math.round(d.fraction * 100)}% (${used})` : used ? `${used} tokens` : "", d.direction, d.findings_count !== undefined ? `(${text(d.findings_count)} findings)` : "", Array.isArray(d.entities) ? `[${d.entities.map(text).join(", ")}]` : "", d.skill_name, d.source_name, d.error]
        .filter(Boolean)
        .map(text)
        .join(" - ");
      const tone = n.severity === "error" ? "err" : n.severity === "warning" ? "warn" : n.severity === "pause" ? "pause" : "info";
      return [n.severity === "warning" || n.severity === "error" ? "warn" : "shield", tone, text(n.title), `${text(n.event_type)} · ${summary}`];
    }
  }
}

function Timeline({ nodes, runStatus, selected, onSelect }) {
  if (nodes.length === 0) return html`<p class="muted">This run predates timeline events.</p>`;
  return html`<ol class="timeline" data-testid="timeline">
    ${nodes.map((n, i) => {
      const [icon, tone, title, detail] = describeNode(n, runStatus);
      return html`<li class="node ${text(n.type)} tone-${tone} ${selected === i ? "selected" : ""}" data-testid="node" data-type=${n.type} onClick=${() => onSelect(selected === i ? null : i)}>
        <div class="title"><${Icon} name=${icon} /> <span class="label">${title}</span></div>
        <div class="meta">${detail}</div>
      </li>`;
    })}
  </ol>`;
}

/** Tokens and cost per iteration, as an SVG bar chart with labelled axes. */
function UsageChart({ nodes }) {
  const perIteration = new Map();
  for (const n of nodes.filter((x) => x.type === "llm_call")) {
    const it = num(n.iteration) ?? 0;
    const entry = perIteration.get(it) ?? { tokens: 0, cost: null };
    entry.tokens += (num(n.input_tokens) ?? 0) + (num(n.output_tokens) ?? 0);
    if (num(n.cost_usd) !== null) entry.cost = (entry.cost ?? 0) + n.cost_usd;
    perIteration.set(it, entry);
  }
  const bars = [...perIteration].sort((a, b) => a[0] - b[0]);
  if (bars.length === 0) return html`<p class="muted">No LLM calls yet.</p>`;
  const max = Math.max(1, ...bars.map(([, e]) => e.tokens));
  const W = 48 + bars.length * 44;
  const H = 190;
  const plot = 110;
  const top = 26;
  return html`<svg class="chart" data-testid="usage-chart" viewBox="0 0 ${W + 10} ${H}" width=${W + 10} height=${H} role="img" aria-label="Tokens and cost per iteration">
    <line x1="44" y1=${top} x2="44" y2=${top + plot} class="axis" />
    <line x1="44" y1=${top + plot} x2=${W} y2=${top + plot} class="axis" />
    <text x="40" y=${top + 6} text-anchor="end" class="tick">${max.toLocaleString("en-US")}</text>
    <text x="40" y=${top + plot} text-anchor="end" class="tick">0</text>
    <text x="12" y=${top + plot / 2} transform="rotate(-90 12 ${top + plot / 2})" text-anchor="middle" class="axis-label">tokens</text>
    <text x=${(44 + W) / 2} y=${H - 4} text-anchor="middle" class="axis-label">iteration</text>
    ${bars.map(([it, e], i) => {
      const height = Math.max(2, (e.tokens / max) * plot);
      const x = 54 + i * 44;
      return html`<g data-testid="bar"><rect x=${x} y=${top + plot - height} width="26" height=${height} class="bar"><title>Iteration ${it}: ${e.tokens.toLocaleString("en-US")} tokens, ${cost(e.cost)}</title></rect>
        <text x=${x + 13} y=${top + plot + 14} text-anchor="middle" class="tick">${it}</text>
        <text x=${x + 13} y=${top + plot - height - 4} text-anchor="middle" class="tick">${cost(e.cost)}</text></g>`;
    })}
  </svg>`;
}

/** An LLM call two ways: what dendrux sent and got (semantic), and the vendor's own request and response (wire). */
function LlmCallView({ call }) {
  const [view, setView] = useState("semantic");
  const json = (v) => JSON.stringify(v, null, 2);
  const missing = (what) => html`<p class="muted" data-testid="no-payload">Provider adapter does not emit ${what} payloads.</p>`;
  return html`<div data-testid="llm-call">
    <div class="toggle" role="tablist">
      <button role="tab" aria-selected=${view === "semantic"} class=${view === "semantic" ? "on" : ""} onClick=${() => setView("semantic")}>Semantic</button>
      <button role="tab" aria-selected=${view === "provider"} class=${view === "provider" ? "on" : ""} onClick=${() => setView("provider")}>Provider</button>
      <span class="muted">${view === "semantic" ? "Dendrux semantics" : "Vendor wire format"}</span>
    </div>
    ${view === "semantic"
      ? html`<h3>Semantic Request</h3><pre data-testid="semantic-request">${json(call.semantic_request)}</pre><h3>Semantic Response</h3><pre data-testid="semantic-response">${json(call.semantic_response)}</pre>`
      : html`<h3>Provider Request</h3>${call.provider_request == null ? missing("request") : html`<pre data-testid="provider-request">${json(call.provider_request)}</pre>`}
          <h3>Provider Response</h3>${call.provider_response == null ? missing("response") : html`<pre data-testid="provider-response">${json(call.provider_response)}</pre>`}`}
  </div>`;
}

function Inspector({ run, node, onClose }) {
  const [calls, setCalls] = useState(null);
  useEffect(() => {
    setCalls(null);
    if (node?.type !== "llm_call") return;
    api(`runs/${encodeURIComponent(run.summary.run_id)}/llm-calls`).then(
      (r) => setCalls(r.llm_calls),
      (e) => setCalls({ error: e.message }),
    );
  }, [node]);
  if (!node) return null;
  const call = Array.isArray(calls) ? calls.find((c) => c.iteration_index === node.iteration) : null;
  return html`<aside id="inspector">
    <button aria-label="Close" id="close" onClick=${onClose}>×</button>
    <h2>${describeNode(node, run.summary.status)[2]}</h2>
    <pre data-testid="payload">${JSON.stringify(node, null, 2)}</pre>
    ${calls?.error ? html`<p class="muted">${calls.error}</p>` : null}
    ${call ? html`<${LlmCallView} key=${call.id} call=${call} />` : null}
    <p class="muted mono">seq #${count(node.sequence_index)} · ${text(node.type)}</p>
  </aside>`;
}

// ---- actions ------------------------------------------------------------------------------------------------------------
function Actions({ runId, status, onDone }) {
  const [{ data: actions }, reload] = usePolled(`runs/${encodeURIComponent(runId)}/actions`, () => false);
  const [choice, setChoice] = useState({});
  const [reasons, setReasons] = useState({});
  const [payloads, setPayloads] = useState({});
  const [answer, setAnswer] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  useEffect(() => void reload(), [status]);
  if (!actions) return null;
  const send = async (path, body) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await api(`runs/${encodeURIComponent(runId)}/${path}`, { method: "POST", body });
      setMessage({ tone: "ok", text: `Done: the run is now ${STATUS[result.status] ?? text(result.status)}.` });
    } catch (error) {
      setMessage({ tone: "err", text: error.message });
    } finally {
      setBusy(false);
      onDone();
      void reload();
    }
  };
  const pending = actions.pending_tool_calls ?? [];
  const disabled = busy || !actions.can_submit;
  return html`<section class="panel actions" data-testid="actions">
    <h2>Actions</h2>
    ${actions.reason ? html`<p class="muted" data-testid="actions-reason">${actions.reason}</p>` : null}
    ${actions.status === "waiting_approval" && pending.length > 0
      ? html`<div data-testid="approval">
          ${pending.map(
            (c) => html`<div class="call" data-call=${c.call_id}>
              <div><strong>${text(c.tool_name)}</strong> <span class="mono muted">${text(c.call_id)}</span></div>
              <pre>${JSON.stringify(c.params, null, 2)}</pre>
              <label><input type="radio" name="d-${c.call_id}" value="approve" disabled=${disabled} checked=${choice[c.call_id] === true} onChange=${() => setChoice({ ...choice, [c.call_id]: true })} /> Approve</label>
              <label><input type="radio" name="d-${c.call_id}" value="reject" disabled=${disabled} checked=${choice[c.call_id] === false} onChange=${() => setChoice({ ...choice, [c.call_id]: false })} /> Reject</label>
              ${choice[c.call_id] === false ? html`<input class="reason" aria-label="Reason" placeholder="Reason (sent to the model)" value=${reasons[c.call_id] ?? ""} onInput=${(e) => setReasons({ ...reasons, [c.call_id]: e.currentTarget.value })} />` : null}
            </div>`,
          )}
          <button data-testid="submit-decisions" disabled=${disabled || pending.some((c) => choice[c.call_id] === undefined)}
            onClick=${() => send("approval", { decisions: pending.map((c) => ({ call_id: c.call_id, approved: choice[c.call_id], ...(reasons[c.call_id] ? { reason: reasons[c.call_id] } : {}) })) })}>Submit decisions</button>
        </div>`
      : null}
    ${actions.status === "waiting_client_tool"
      ? html`<div data-testid="client-results">
          ${pending.filter((c) => c.target === "client").map(
            (c) => html`<div class="call" data-call=${c.call_id}>
              <div><strong>${text(c.tool_name)}</strong> <span class="mono muted">${text(c.call_id)}</span></div>
              <pre>${JSON.stringify(c.params, null, 2)}</pre>
              <textarea aria-label="Result for ${text(c.tool_name)}" placeholder="Result (JSON or text)" disabled=${disabled} value=${payloads[c.call_id] ?? ""} onInput=${(e) => setPayloads({ ...payloads, [c.call_id]: e.currentTarget.value })}></textarea>
            </div>`,
          )}
          <button data-testid="submit-results" disabled=${disabled} onClick=${() => send("tool-results", { results: pending.filter((c) => c.target === "client").map((c) => ({ call_id: c.call_id, payload: payloads[c.call_id] ?? "" })) })}>Submit results</button>
        </div>`
      : null}
    ${actions.status === "waiting_human_input"
      ? html`<div data-testid="human-input">
          ${pending.map((c) => html`<pre>${text(c.params?.question ?? c.params)}</pre>`)}
          <textarea aria-label="Answer" placeholder="Your answer" disabled=${disabled} value=${answer} onInput=${(e) => setAnswer(e.currentTarget.value)}></textarea>
          <button data-testid="submit-input" disabled=${disabled || !answer.trim()} onClick=${() => send("input", { text: answer })}>Send answer</button>
        </div>`
      : null}
    ${actions.can_cancel ? html`<button class="danger" data-testid="cancel" disabled=${busy} onClick=${() => confirm("Cancel this run?") && send("cancel", {})}>Cancel run</button>` : null}
    ${message ? html`<p class="message tone-${message.tone}" data-testid="action-message" role="status">${message.text}</p>` : null}
  </section>`;
}

// ---- run page -------------------------------------------------------------------------------------------------------------
function RunPage({ runId }) {
  const [{ data: run, error }, reload] = usePolled(`runs/${encodeURIComponent(runId)}`, (r) => !r || !TERMINAL.has(r.summary.status));
  const [{ data: actions }] = usePolled(`runs/${encodeURIComponent(runId)}/actions`, () => false);
  const [selected, setSelected] = useState(null);
  useEffect(() => {
    const onKey = (e) => e.key === "Escape" && setSelected(null);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  if (error && !run) return html`<p><a href="#/">← Runs</a></p><p class="muted" data-testid="error">Failed to load run: ${error.message}</p>`;
  if (!run) return html`<div class="skeleton"></div><div class="skeleton"></div>`;
  const s = run.summary;
  const d = run.delegation;
  const thread = typeof actions?.metadata?.thread_id === "string" ? actions.metadata.thread_id : null;
  return html`
    <header><a href="#/">← Runs</a><h1>Dendrux Run</h1>${thread ? html`<a data-testid="thread-link" href="#/threads/${encodeURIComponent(thread)}"><${Icon} name="thread" /> Thread ${thread}</a>` : null}</header>
    <div><strong data-testid="agent">${text(s.agent_name)}</strong> <span class="mono muted">${text(s.run_id)}</span> <${Badge} status=${s.status} /></div>
    <div class="stats">
      <div><span>Model</span>${text(s.model) || "-"}</div>
      <div><span>Iterations</span><b data-testid="iterations">${count(s.iteration_count)}</b></div>
      <div><span>Tokens</span><b data-testid="tokens">${tokens(s.total_input_tokens, s.total_output_tokens)}</b></div>
      ${num(s.total_reasoning_tokens) > 0 ? html`<div><span>Reasoning</span>${count(s.total_reasoning_tokens)}</div>` : null}
      <div><span>Cost</span><b data-testid="cost">${cost(s.total_cost_usd)}</b></div>
    </div>
    ${d && (d.ancestry.length > 0 || d.children.length > 0)
      ? html`<div class="panel" data-testid="delegation">
          ${d.ancestry.length > 0 ? html`<div class="muted" data-testid="breadcrumb">${d.ancestry.map((a) => html`<a href="#/runs/${encodeURIComponent(a.run_id)}">${text(a.agent_name)}</a> / `)}${d.ancestry_complete ? "" : "... / "}<span>${text(s.agent_name)}</span></div>` : null}
          ${d.children.length ? html`<div>Children (${d.children.length}): ${d.children.map((c) => html`<a href="#/runs/${encodeURIComponent(c.run_id)}">${text(c.agent_name)}</a> <${Badge} status=${c.status} /> `)}</div>` : null}
        </div>`
      : null}
    <div class="grid">
      <section class="panel"><h2>Input</h2><pre data-testid="input">${text(s.input_text)}</pre></section>
      <section class="panel"><h2>${s.error ? "Error" : "Answer"}</h2><pre data-testid="answer">${text(s.error ?? s.answer) || (TERMINAL.has(s.status) ? "" : "…")}</pre></section>
    </div>
    ${actions?.metadata ? html`<section class="panel"><h2>Metadata</h2><pre data-testid="metadata">${JSON.stringify(actions.metadata, null, 2)}</pre></section>` : null}
    ${TERMINAL.has(s.status) ? null : html`<${Actions} runId=${s.run_id} status=${s.status} onDone=${reload} />`}
    <h2>Timeline</h2>
    <${Timeline} nodes=${run.nodes} runStatus=${s.status} selected=${selected} onSelect=${setSelected} />
    <h2>Tokens and cost by iteration</h2>
    <${UsageChart} nodes=${run.nodes} />
    <${Inspector} run=${run} node=${selected === null ? null : run.nodes[selected]} onClose=${() => setSelected(null)} />`;
}

// ---- thread page ------------------------------------------------------------------------------------------------------------
function ThreadPage({ threadId }) {
  const [{ data, error }] = usePolled(`threads/${encodeURIComponent(threadId)}`, (t) => !t || t.turns.some((x) => !TERMINAL.has(x.status)));
  if (error && !data) return html`<p><a href="#/">← Runs</a></p><p class="muted" data-testid="error">Failed to load thread: ${error.message}</p>`;
  if (!data) return html`<div class="skeleton"></div>`;
  const t = data.totals;
  return html`
    <header><a href="#/">← Runs</a><h1>Thread</h1><span class="mono muted" data-testid="thread-id">${threadId}</span></header>
    <div class="stats" data-testid="thread-totals">
      <div><span>Turns</span><b>${count(t.runs)}</b></div>
      <div><span>Tokens</span><b data-testid="thread-tokens">${tokens(t.input_tokens, t.output_tokens)}</b></div>
      <div><span>Cost</span><b data-testid="thread-cost">${cost(t.cost_usd)}</b></div>
      <div><span>Waiting</span><b>${count(t.waiting)}</b></div>
    </div>
    ${data.turns.length === 0 ? html`<p class="muted">No runs in this thread.</p>` : null}
    <ol class="turns" data-testid="turns">
      ${data.turns.map(
        (turn, i) => html`<li class="turn" data-testid="turn" data-run=${turn.run_id}>
          <div class="turn-head"><span class="muted">Turn ${i + 1}</span> <a href="#/runs/${encodeURIComponent(turn.run_id)}">${text(turn.agent_name)} · <span class="mono">${text(turn.run_id)}</span></a> <${Badge} status=${turn.status} />
            <span class="muted">${tokens(turn.total_input_tokens, turn.total_output_tokens)} tokens · ${cost(turn.total_cost_usd)}</span></div>
          <div class="bubble user"><${Icon} name="user" /> ${text(turn.input_text)}</div>
          ${turn.answer || turn.error ? html`<div class="bubble ${turn.error ? "err" : "assistant"}">${text(turn.error ?? turn.answer)}</div>` : WAITING.has(turn.status) ? html`<div class="bubble pause"><${Icon} name="pause" /> ${STATUS[turn.status]} — <a href="#/runs/${encodeURIComponent(turn.run_id)}">act on it</a></div>` : null}
        </li>`,
      )}
    </ol>`;
}

// ---- router -------------------------------------------------------------------------------------------------------------
function parseRoute(hash) {
  const match = /^#\/(runs|threads)\/(.+)$/.exec(hash);
  if (!match) return hash && hash !== "#/" && hash !== "#" ? { page: "unknown", raw: hash } : { page: "list" };
  try {
    return { page: match[1], id: decodeURIComponent(match[2]) };
  } catch {
    return { page: "unknown", raw: hash };
  }
}

function App() {
  const [route, setRoute] = useState(parseRoute(location.hash));
  const [query, setQuery] = useState({ q: "", status: "", agent: "", thread: "", metadata: "", before: "", trail: [] });
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  if (route.page === "runs") return html`<${RunPage} key=${route.id} runId=${route.id} />`;
  if (route.page === "threads") return html`<${ThreadPage} key=${route.id} threadId=${route.id} />`;
  if (route.page === "unknown") return html`<p><a href="#/">← Runs</a></p><p class="muted" data-testid="error">No page at this address.</p>`;
  return html`<${RunList} query=${query} setQuery=${setQuery} />`;
}

render(html`<${App} />`, document.getElementById("app"));
