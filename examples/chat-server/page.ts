/** The thread page: history from `GET /api/threads/:id/runs`, live updates from the thread's SSE stream. */
export const THREAD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dendrux chat</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  .turn { margin: .75rem 0; }
  .user { background: #e8eefc; padding: .5rem .75rem; border-radius: .5rem; }
  .bot { padding: .5rem .75rem; }
  .status { color: #7a8294; font-size: 12px; }
  form { display: flex; gap: .5rem; margin-top: 1rem; }
  input { flex: 1; padding: .5rem; }
</style>
</head>
<body>
<h1>Thread <span data-testid="thread"></span></h1>
<div data-testid="turns"></div>
<p class="status" data-testid="live">connecting…</p>
<form data-testid="composer"><input name="text" data-testid="input" autocomplete="off" placeholder="Say something"><button>Send</button></form>
<script type="module">
const params = new URLSearchParams(location.search);
const thread = params.get("thread") || "t_" + Math.random().toString(36).slice(2, 10);
if (!params.get("thread")) history.replaceState(null, "", "?thread=" + encodeURIComponent(thread));
document.querySelector("[data-testid=thread]").textContent = thread;
const base = "/api/threads/" + encodeURIComponent(thread);
const turns = document.querySelector("[data-testid=turns]");

function render(items) {
  turns.replaceChildren(...items.map((run) => {
    const turn = document.createElement("div");
    turn.className = "turn";
    turn.dataset.testid = "turn";
    turn.dataset.status = run.status;
    const user = document.createElement("div");
    user.className = "user";
    user.textContent = run.input ?? "";
    const bot = document.createElement("div");
    bot.className = "bot";
    bot.dataset.testid = "answer";
    bot.textContent = run.answer ?? (run.error ? "⚠ " + run.error : "…");
    turn.append(user, bot);
    return turn;
  }));
}

// One reload at a time; a change that arrives during a reload triggers one more.
let loading = false;
let again = false;
async function load() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    do {
      again = false;
      const page = await (await fetch(base + "/runs?limit=100")).json();
      render(page.items);
    } while (again);
  } finally {
    loading = false;
  }
}

await load();
// The whole thread, live: a new turn, its progress and its answer all arrive on one stream.
const live = new EventSource(base + "/events/stream");
live.onopen = () => { document.querySelector("[data-testid=live]").textContent = "live"; };
live.onmessage = (message) => {
  const event = JSON.parse(message.data);
  if (["run.started", "run.completed", "run.error", "run.cancelled", "run.paused"].includes(event.event_type)) void load();
};

document.querySelector("[data-testid=composer]").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = e.target.elements.text;
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  await fetch(base + "/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
});
</script>
</body>
</html>
`;
