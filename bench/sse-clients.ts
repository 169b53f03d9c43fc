/**
 * The bench's viewers in their own process, so client work does not slow the
 * server being measured: opens `viewers` streams spread over the runs, prints
 * READY once each has its first frame, then a JSON line with the p50 and p99
 * latency (ms from the event's `t` to arrival) once each has `expected` frames or `timeoutMs` passed.
 *
 *   tsx bench/sse-clients.ts <base> <viewers> <expected> <timeoutMs> <runId>…
 */
const [base, viewers, expected, timeoutMs, ...runIds] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const now = () => performance.timeOrigin + performance.now();
const counts: number[] = [];
const ordered: boolean[] = [];
const latencies: number[] = [];
const controllers: AbortController[] = [];

function open(index: number, url: string): void {
  const controller = new AbortController();
  controllers.push(controller);
  counts[index] = 0;
  ordered[index] = true;
  void (async () => {
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let last = -1;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(frame);
        if (!id) continue;
        const seq = Number(id[1]);
        if (seq !== last + 1) ordered[index] = false;
        last = seq;
        const t = /"t": ([\d.]+)/.exec(frame);
        if (t) latencies.push(now() - Number(t[1]));
        counts[index]! += 1;
      }
    }
  })().catch(() => undefined);
}

for (let i = 0; i < Number(viewers); i++) {
  open(i, `${base}/runs/${runIds[i % runIds.length]}/events/stream`);
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
}
while (counts.some((c) => c < 1)) await new Promise((r) => setTimeout(r, 20));
latencies.length = 0;
process.stdout.write("READY\n");
const deadline = Date.now() + Number(timeoutMs);
while (counts.some((c) => c < Number(expected) + 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
for (const c of controllers) c.abort();
const complete = counts.filter((c, i) => c === Number(expected) + 1 && ordered[i]).length;
const sorted = latencies.sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
process.stdout.write(`${JSON.stringify({ p50: at(0.5), p99: at(0.99), frames: sorted.length, complete })}\n`, () => process.exit(0));
