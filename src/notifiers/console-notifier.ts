import pc from "picocolors";
import { ValidationError } from "../errors/validation-error.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, Notifier } from "../types/notifier.js";
import type { RunResult } from "../types/run-result.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";

export interface ConsoleNotifierOptions {
  /** Print tool arguments next to each call. @default true */
  readonly showParams?: boolean;
  /** Print the text of each model answer under its token line, on one line. @default false */
  readonly showLlmText?: boolean;
  /** Longest model text printed with `showLlmText`; longer text is cut and ends in `...`. @default 120 */
  readonly maxTextLength?: number;
  /** Where lines go. @default process.stdout */
  readonly write?: (line: string) => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

function formatParams(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${clip(JSON.stringify(v) ?? "undefined", 30)}`);
  return clip(parts.join(", "), 60);
}

/** Renders a live run in the terminal: steps, tool calls, token counts and timings. */
export class ConsoleNotifier implements Notifier {
  readonly #showParams: boolean;
  readonly #showLlmText: boolean;
  readonly #maxTextLength: number;
  readonly #write: (line: string) => void;
  #lastIteration = 0;
  #runStartedAt: number | null = null;
  #toolsCalled = 0;
  readonly #toolStarts = new Map<string, number>();

  constructor(options: ConsoleNotifierOptions = {}) {
    this.#showParams = options.showParams ?? true;
    this.#showLlmText = options.showLlmText ?? false;
    const max = options.maxTextLength ?? 120;
    if (!Number.isInteger(max) || max < 4) throw new ValidationError({ field: "maxTextLength", message: `maxTextLength must be an integer ≥ 4, got ${String(max)}.` });
    this.#maxTextLength = max;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  onRunStarted(runId: string, info: { agentName: string; agentModel: string }): void {
    this.#runStartedAt ??= performance.now();
    this.#write("");
    this.#write(`${pc.blueBright("▶ run")} ${pc.dim(runId.slice(-12))} ${pc.dim(`${info.agentName} · ${info.agentModel}`)}`);
  }

  onRunFinished(_runId: string, result: RunResult): void {
    if (result.status.startsWith("waiting_")) this.#write(`  ${pc.yellowBright("‖ paused")} ${pc.dim(result.status)}`);
  }

  onRunFailed(_runId: string, error: unknown): void {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    this.#write(pc.red(`✖ run failed: ${name}: ${clip(message, 240)}`));
  }

  #step(iteration: number): void {
    if (iteration === this.#lastIteration) return;
    this.#lastIteration = iteration;
    this.#write("");
    this.#write(pc.bold(pc.cyanBright(`  Step ${iteration}`)));
  }

  onLlmCallStarted(_runId: string, iteration: number): void {
    this.#step(iteration);
  }

  onMessageAppended(_runId: string, message: Message, iteration: number): void {
    this.#step(iteration);
    if (message.role === "user" && iteration === 0 && message.content) {
      this.#write(pc.blueBright(`  │ ${clip(message.content, 200)}`));
    }
  }

  onLlmCallCompleted(_runId: string, response: LLMResponse, _iteration: number, details: LlmCallCompletedDetails): void {
    const u = response.usage;
    let line = pc.dim(`    llm ${u.totalTokens.toLocaleString("en-US")} tokens${details.durationMs > 0 ? ` in ${seconds(details.durationMs)}` : ""}`);
    if (u.cacheReadInputTokens) line += pc.greenBright(` · ${u.cacheReadInputTokens.toLocaleString("en-US")} cached`);
    if (u.cacheCreationInputTokens) line += pc.yellow(` · ${u.cacheCreationInputTokens.toLocaleString("en-US")} cache-write`);
    this.#write(line);
    const text = response.text?.replace(/\s+/g, " ").trim();
    if (this.#showLlmText && text) this.#write(`    ${pc.dim("said")} ${clip(text, this.#maxTextLength)}`);
  }

  onLlmCallFailed(_runId: string, _iteration: number, error: unknown, details: { durationMs: number }): void {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    this.#write(`    ${pc.red("llm")} ${pc.bold(name)}${details.durationMs ? pc.dim(` after ${seconds(details.durationMs)}`) : ""} ${pc.dim(clip(message, 100))}`);
  }

  onToolStarted(_runId: string, call: ToolCall): void {
    this.#toolStarts.set(call.id, performance.now());
    const params = this.#showParams && Object.keys(call.params).length > 0 ? ` ${pc.dim(formatParams(call.params))}` : "";
    this.#write(`    ${pc.yellow("calling")} ${pc.bold(call.name)}${params}`);
  }

  onToolCompleted(_runId: string, call: ToolCall, result: ToolResult): void {
    this.#toolsCalled += 1;
    const start = this.#toolStarts.get(call.id);
    this.#toolStarts.delete(call.id);
    const elapsed = start !== undefined ? performance.now() - start : (result.durationMs ?? 0);
    if (result.success !== false) {
      this.#write(`    ${pc.green("done")}    ${pc.bold(call.name)} ${pc.dim(seconds(elapsed))}`);
    } else if (result.error?.includes("reached its maximum")) {
      this.#write(`    ${pc.redBright("limit")}   ${pc.bold(call.name)} ${pc.dim("max calls reached")}`);
    } else {
      this.#write(`    ${pc.red("fail")}    ${pc.bold(call.name)} ${pc.dim(seconds(elapsed))}`);
    }
  }

  onGovernanceEvent(_runId: string, eventType: string, _iteration: number, data: Record<string, unknown>): void {
    const d = data as Record<string, string | number>;
    let text: string;
    switch (eventType) {
      case "budget.threshold":
        text = `${pc.yellow("budget")} ${Math.round(Number(d.fraction) * 100)}% used (${d.used} / ${d.max} tokens)`;
        break;
      case "budget.exceeded":
        text = `${pc.red("budget")} exceeded (${d.used} / ${d.max} tokens)`;
        break;
      case "policy.denied":
        text = `${pc.red("deny")} ${d.tool_name} ${pc.dim(String(d.reason))}`;
        break;
      case "approval.requested":
        text = `${pc.yellow("approve")} ${d.tool_name} waiting for human sign-off`;
        break;
      case "approval.decided":
        text = `${pc.yellow("approve")} ${d.decision === "approved" ? pc.green(String(d.decision)) : pc.red(String(d.decision))}`;
        break;
      case "guardrail.detected":
        text = `${pc.cyan("guard")} ${d.findings_count} finding(s) ${d.direction} ${pc.dim(JSON.stringify(data.entities))}`;
        break;
      case "guardrail.redacted":
        text = `${pc.cyan("guard")} redacted ${pc.dim(JSON.stringify(data.entities))}`;
        break;
      case "guardrail.blocked":
        text = `${pc.red("guard")} blocked ${pc.dim(String(d.error))}`;
        break;
      case "guardrail.unmapped_placeholder":
        text = `${pc.yellow("guard")} unmapped placeholder ${pc.dim(JSON.stringify(data.placeholders))}`;
        break;
      case "skill.registered":
      case "skill.denied":
      case "skill.invoked":
        text = `${pc.magenta("skill")} ${d.skill_name} ${eventType.slice("skill.".length)}`;
        break;
      case "mcp.connected":
        text = `${pc.magenta("mcp")} ${d.source_name} ${d.tool_count} tool(s)`;
        break;
      case "mcp.error":
        text = `${pc.red("mcp")} error ${pc.dim(String(d.error))}`;
        break;
      case "provider.retry":
        text = `${pc.yellow("retry")} attempt ${d.attempt} ${pc.dim(String(d.status_code ?? ""))}`;
        break;
      default:
        text = `${pc.magenta(eventType)} ${pc.dim(JSON.stringify(data))}`;
    }
    this.#write(`    ${text}`);
  }

  /** Prints a short summary of a finished run. */
  printSummary(result: RunResult): void {
    const colour = result.status === "success" ? pc.greenBright : pc.yellow;
    const total = this.#runStartedAt === null ? 0 : performance.now() - this.#runStartedAt;
    this.#write("");
    this.#write(colour("── Run Complete ──"));
    this.#write(`  status       ${result.status}`);
    this.#write(`  iterations   ${result.iterationCount}`);
    this.#write(`  tokens       ${result.usage.totalTokens.toLocaleString("en-US")}`);
    const cacheRead = result.usage.cacheReadInputTokens ?? 0;
    if (cacheRead > 0) {
      const ratio = Math.round((cacheRead / (result.usage.inputTokens + cacheRead)) * 100);
      this.#write(`  cache read   ${cacheRead.toLocaleString("en-US")} (${ratio}% hit ratio)`);
    }
    this.#write(`  tools called ${this.#toolsCalled}`);
    this.#write(`  total time   ${seconds(total)}`);
  }
}
