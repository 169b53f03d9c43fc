import type { RunEvent } from "../types/run-event.js";
import { isTerminalRunEvent } from "../types/run-event.js";
import type { RunResult } from "../types/run-result.js";
import { type DelegationFrame, runInDelegation } from "./delegation.js";
import { RunFailure } from "./runner.js";
import { bareRunResult } from "./to-run-result.js";

/**
 * A live run: an async iterable of `RunEvent`s ending with one terminal event
 * (`run_completed`, `run_paused`, `run_cancelled` or `run_error`). Errors never
 * throw out of the iteration; they arrive as `run_error`. Single use. Stopping
 * early (`break`, `close()`, `await using`) cancels the run.
 *
 * @example
 * await using stream = agent.stream("Summarise this thread");
 * for await (const event of stream) if (event.type === "text_delta") process.stdout.write(event.text);
 */
export class RunStream<TOutput = unknown> implements AsyncIterable<RunEvent>, AsyncDisposable {
  /** The run's id, known before the first event. */
  readonly runId: string;
  readonly #source: () => AsyncGenerator<RunEvent, RunResult, undefined>;
  readonly #frame: () => DelegationFrame | null;
  #iterator: AsyncGenerator<RunEvent, void, undefined> | null = null;
  #used = false;
  #done = false;
  #result: RunResult<TOutput> | null = null;

  /** @internal */
  constructor(
    runId: string,
    source: () => AsyncGenerator<RunEvent, RunResult, undefined>,
    frame: DelegationFrame | null | (() => DelegationFrame | null),
  ) {
    this.runId = runId;
    this.#source = source;
    this.#frame = typeof frame === "function" ? frame : () => frame;
  }

  /** The final result, once a terminal event has been seen; `output` is typed by the run's `outputType`. */
  get result(): RunResult<TOutput> | null {
    return this.#result;
  }

  #step<T>(fn: () => Promise<T>): Promise<T> {
    const frame = this.#frame();
    return frame ? runInDelegation(frame, fn) : fn();
  }

  async *#events(): AsyncGenerator<RunEvent, void, undefined> {
    const generator = this.#source();
    try {
      while (true) {
        let next: IteratorResult<RunEvent, RunResult>;
        try {
          next = await this.#step(() => generator.next());
        } catch (error) {
          const cause = error instanceof RunFailure ? error.cause : error;
          const message = cause instanceof Error ? cause.message : String(cause);
          const result = bareRunResult(this.runId, "error", message);
          this.#result = result as RunResult<TOutput>;
          yield { type: "run_error", runId: this.runId, result, error: message };
          return;
        }
        if (next.done) return;
        const event = next.value;
        if (isTerminalRunEvent(event) && "result" in event) this.#result = event.result as RunResult<TOutput>;
        yield event;
        if (isTerminalRunEvent(event)) return;
      }
    } finally {
      this.#done = true;
      await this.#step(() => generator.return(undefined as never)).catch(() => undefined);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    if (this.#used) throw new Error("RunStream is single-use; cannot iterate twice");
    this.#used = true;
    this.#iterator = this.#events();
    return this.#iterator;
  }

  /** Consumes the stream and returns the concatenated text deltas. */
  async text(): Promise<string> {
    let text = "";
    for await (const event of this) if (event.type === "text_delta") text += event.text;
    return text;
  }

  /** Consumes the stream, yielding only the non-empty text deltas. */
  async *textStream(): AsyncGenerator<string, void, undefined> {
    for await (const event of this) if (event.type === "text_delta" && event.text) yield event.text;
  }

  /** Stops the run if it is still going (it ends `cancelled`). Idempotent. */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (!this.#used) {
      this.#used = true;
      return;
    }
    await this.#iterator?.return(undefined).catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
