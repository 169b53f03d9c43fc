import type { Finding, Guardrail } from "../types/guardrail.js";
import type { Message } from "../types/message.js";
import type { ToolCall } from "../types/tool-call.js";
import type { IncomingScan, LoopGuard, OutgoingScan } from "../loops/ports.js";

const MAX_DEPTH = 50;
const PLACEHOLDER = /<<([A-Z][A-Z_]*)_(\d+)>>/g;

/** Python `repr()` of a string: how the reference quotes snippets in block messages. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** One finding per span: by start, longer first; a later overlap wins only if strictly longer. */
export function deoverlap(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: Finding[] = [];
  for (const f of sorted) {
    const last = kept[kept.length - 1];
    if (!last || f.start >= last.end) kept.push(f);
    else if (f.end - f.start > last.end - last.start) kept[kept.length - 1] = f;
  }
  return kept;
}

/**
 * What a block says: the guardrail, the entity type and where it matched — never
 * the matched text, which is exactly what must not be stored.
 */
function blockMessage(guardrail: Guardrail, finding: Finding, suffix: string): string {
  return `Guardrail ${pythonRepr((guardrail as object).constructor.name)} blocked: ${finding.entityType} at characters ${finding.start}-${finding.end}${suffix}`;
}


/**
 * Applies a run's guardrails. Redaction replaces each value with a
 * placeholder (`<<EMAIL_ADDRESS_1>>`) that is stable for the whole run —
 * across messages, iterations, guardrails and pauses — through one mapping
 * shared with the run state (and persisted in `agent_runs.pii_mapping`).
 *
 * Agents create one per run; use it directly to try guardrails on a text.
 *
 * @example
 * const engine = new GuardEngine([new PII()]);
 * const scan = await engine.incoming([{ role: "user", content: "Mail jane@example.com" }]);
 * scan.messages[0].content; // "Mail <<EMAIL_ADDRESS_1>>"
 * engine.deanonymize("Sent to <<EMAIL_ADDRESS_1>>"); // "Sent to jane@example.com"
 */
export class GuardEngine implements LoopGuard {
  readonly guardrails: readonly Guardrail[];
  /** placeholder → value; the run state's own object, mutated in place. */
  readonly mapping: Record<string, string>;
  readonly #reverse = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  /**
   * @param guardrails applied in list order
   * @param mapping placeholder → value, mutated as redaction meets new values; a
   *   saved mapping (e.g. `RunStore.getPiiMapping`) continues its numbering
   */
  constructor(guardrails: readonly Guardrail[], mapping: Record<string, string> = {}) {
    this.guardrails = guardrails;
    this.mapping = mapping;
    for (const [placeholder, value] of Object.entries(mapping)) {
      this.#reverse.set(value, placeholder);
      const inner = placeholder.slice(2, -2);
      const cut = inner.lastIndexOf("_");
      const n = Number(inner.slice(cut + 1));
      if (cut > 0 && Number.isInteger(n)) this.#counters.set(inner.slice(0, cut), Math.max(this.#counters.get(inner.slice(0, cut)) ?? 0, n));
    }
  }

  get mayBlockOutput(): boolean {
    return this.guardrails.some((g) => g.action === "block");
  }

  /** How many values the mapping holds; grows as redaction meets new values. */
  get size(): number {
    return this.#reverse.size;
  }

  #placeholderFor(finding: Finding): string {
    const existing = this.#reverse.get(finding.text);
    if (existing) return existing;
    const n = (this.#counters.get(finding.entityType) ?? 0) + 1;
    this.#counters.set(finding.entityType, n);
    const placeholder = `<<${finding.entityType}_${n}>>`;
    this.mapping[placeholder] = finding.text;
    this.#reverse.set(finding.text, placeholder);
    return placeholder;
  }

  /** Right to left, so offsets stay valid (and later values get the lower numbers, as in the reference). */
  #replace(text: string, findings: readonly Finding[]): string {
    let out = text;
    for (const f of [...findings].sort((a, b) => b.start - a.start)) out = out.slice(0, f.start) + this.#placeholderFor(f) + out.slice(f.end);
    return out;
  }

  async #scanOne(text: string, onBlock: (guardrail: Guardrail, finding: Finding) => string): Promise<{ text: string; findings: Finding[]; blocked: string | null }> {
    let current = text;
    const collected: Finding[] = [];
    for (const guardrail of this.guardrails) {
      const findings = deoverlap(await guardrail.scan(current));
      if (findings.length === 0) continue;
      collected.push(...findings);
      if (guardrail.action === "block") return { text: current, findings: collected, blocked: onBlock(guardrail, findings[0]!) };
      if (guardrail.action === "redact") current = this.#replace(current, findings);
    }
    return { text: current, findings: collected, blocked: null };
  }

  /** Before an LLM call: every non-empty message, each guardrail in order; the first block stops. */
  async incoming(messages: readonly Message[]): Promise<IncomingScan> {
    const out: Message[] = [];
    const findings: Finding[] = [];
    let changed = false;
    for (const message of messages) {
      if (!message.content) {
        out.push(message);
        continue;
      }
      const scan = await this.#scanOne(message.content, (g, f) => blockMessage(g, f, ""));
      findings.push(...scan.findings);
      if (scan.blocked) return { messages: out, findings, changed, blocked: scan.blocked };
      if (scan.text !== message.content) changed = true;
      out.push(scan.text === message.content ? message : { ...message, content: scan.text });
    }
    return { messages: out, findings, changed, blocked: null };
  }

  /** After an LLM call: the text, then each tool call's arguments. Detection only — nothing is changed. */
  async outgoing(text: string | null, calls: readonly ToolCall[]): Promise<OutgoingScan> {
    const findings: Finding[] = [];
    if (text) {
      for (const guardrail of this.guardrails) {
        const found = deoverlap(await guardrail.scan(text));
        findings.push(...found);
        if (found.length > 0 && guardrail.action === "block") return { findings, blocked: blockMessage(guardrail, found[0]!, " in LLM output") };
      }
    }
    for (const call of calls) {
      for (const [key, value] of leaves(call.params)) {
        for (const guardrail of this.guardrails) {
          const direct = await guardrail.scan(value);
          // With its key ("api_key=…") a value can match patterns that need the label; project back onto the value.
          const offset = key.length + 1;
          const keyed = (await guardrail.scan(`${key}=${value}`))
            .map((f) => ({ ...f, start: Math.max(0, f.start - offset), end: Math.min(value.length, f.end - offset) }))
            .filter((f) => f.end > f.start)
            .map((f) => ({ ...f, text: value.slice(f.start, f.end) }));
          const found = deoverlap([...direct, ...keyed]);
          findings.push(...found);
          if (found.length > 0 && guardrail.action === "block") return { findings, blocked: blockMessage(guardrail, found[0]!, " in tool call params") };
        }
      }
    }
    return { findings, blocked: null };
  }

  /** Redaction only (no block, no warn): what is written to storage. */
  async redactText(text: string): Promise<string> {
    let current = text;
    for (const guardrail of this.guardrails) {
      if (guardrail.action !== "redact") continue;
      const findings = deoverlap(await guardrail.scan(current));
      if (findings.length > 0) current = this.#replace(current, findings);
    }
    return current;
  }

  /**
   * `redactText` on every string inside `value` (object keys kept): what is
   * stored of anything the model wrote or a tool or provider returned.
   */
  async redactDeep<T>(value: T, depth = 0): Promise<T> {
    if (typeof value === "string") return (await this.redactText(value)) as T;
    if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) out.push(await this.redactDeep(item, depth + 1));
      return out as T;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await this.redactDeep(item, depth + 1);
    return out as T;
  }

  /** Placeholders back to values, in strings anywhere inside `value`. */
  deanonymize<T>(value: T, depth = 0): T {
    if (depth > MAX_DEPTH) return value;
    if (typeof value === "string") {
      if (value in this.mapping) return this.mapping[value] as T;
      let out: string = value;
      for (const [placeholder, real] of Object.entries(this.mapping)) if (out.includes(placeholder)) out = out.split(placeholder).join(real);
      return out as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.deanonymize(v, depth + 1)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.deanonymize(v, depth + 1)])) as T;
    }
    return value;
  }

  /** Placeholder-shaped tokens in `text` that the mapping does not know (the model invented them). */
  unmapped(text: string): string[] {
    const found = new Set<string>();
    for (const match of text.matchAll(PLACEHOLDER)) if (!(match[0] in this.mapping)) found.add(match[0]);
    return [...found].sort();
  }
}

/** `[key, value]` for each string leaf; list items reuse their parent's key. */
function leaves(params: unknown, key = "", depth = 0): [string, string][] {
  if (depth > MAX_DEPTH) return [];
  if (typeof params === "string") return [[key, params]];
  if (Array.isArray(params)) return params.flatMap((v) => leaves(v, key, depth + 1));
  if (params && typeof params === "object") return Object.entries(params).flatMap(([k, v]) => leaves(v, k, depth + 1));
  return [];
}
