import type { AnyTool } from "../tool/tool.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import { logger } from "../util/logger.js";
import { NotJsonSerializableError, pythonFloat, pythonJsonDumps, UnencodableShapeError } from "../util/python-json.js";

function failed(call: ToolCall, key: string, message: string, durationMs = 0): ToolResult {
  return { name: call.name, callId: call.id, payload: pythonJsonDumps({ [key]: message }), success: false, error: message, durationMs };
}

export function unknownToolResult(call: ToolCall): ToolResult {
  return failed(call, "error", `Unknown tool: ${call.name}`);
}

export function deniedResult(call: ToolCall): ToolResult {
  return failed(call, "denied", `Tool '${call.name}' is denied by policy.`);
}

export function limitResult(call: ToolCall, max: number): ToolResult {
  return failed(call, "limit", `Tool '${call.name}' has reached its maximum of ${max} calls for this run.`);
}

/** The synthetic result a rejected approval gives each pending call. */
export function rejectionResult(call: ToolCall, reason: string | null | undefined): ToolResult {
  const text = reason || "User declined to run this tool.";
  return { name: call.name, callId: call.id, payload: pythonJsonDumps(text), success: false, error: text, durationMs: 0 };
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join(".")}: ${i.message}` : i.message)).join("; ");
}

class ToolTimeoutError extends Error {}

/**
 * The tool's value, settled by whichever comes first: the tool, its timeout
 * or the run's abort — even if the tool ignores its signal. The tool's own
 * signal is made only when the tool reads it, and it aborts with the reason
 * the call was stopped for.
 */
function settle(tool: AnyTool, args: unknown, call: ToolCall, runId: string, runSignal: AbortSignal): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    let controller: AbortController | null = null;
    let stopped: { reason: unknown } | null = null;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      runSignal.removeEventListener("abort", onRunAbort);
      outcome();
    };
    const stop = (reason: unknown) =>
      finish(() => {
        stopped = { reason };
        controller?.abort(reason);
        reject(reason);
      });
    const onRunAbort = () => stop(runSignal.reason);
    const timer = setTimeout(() => stop(new ToolTimeoutError(`Tool '${call.name}' timed out after ${pythonFloat(tool.timeoutSeconds)}s`)), tool.timeoutSeconds * 1000);
    runSignal.addEventListener("abort", onRunAbort, { once: true });
    const context = {
      runId,
      callId: call.id,
      get signal(): AbortSignal {
        if (!controller) {
          controller = new AbortController();
          if (stopped) controller.abort(stopped.reason);
        }
        return controller.signal;
      },
    };
    try {
      Promise.resolve(tool.execute!(args as never, context)).then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    } catch (error) {
      finish(() => reject(error));
    }
  });
}

/**
 * Runs one server tool call. Bad arguments, thrown errors, timeouts and
 * unencodable results all become failed results the model reads. It throws
 * only when the run is cancelled: with the abort's reason, at once, even if
 * the tool ignores its signal.
 */
export async function executeTool(tool: AnyTool | undefined, call: ToolCall, runId: string, runSignal: AbortSignal): Promise<ToolResult> {
  if (!tool || !tool.execute) return unknownToolResult(call);
  // A run cancelled before its tool starts never starts it.
  if (runSignal.aborted) throw runSignal.reason;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  const parsed = tool.parameters.safeParse(call.params);
  if (!parsed.success) {
    return failed(call, "error", `Invalid arguments for tool '${call.name}': ${describeIssues(parsed.error.issues)}`);
  }

  let value: unknown;
  try {
    value = await settle(tool, parsed.data, call, runId, runSignal);
  } catch (error) {
    if (runSignal.aborted) throw runSignal.reason;
    if (error instanceof ToolTimeoutError) {
      const hint = tool.hasExplicitTimeout ? "" : " (default). Set an explicit timeout: tool({ timeoutSeconds: N })";
      logger.warn(`${error.message}${hint}`);
      return failed(call, "error", error.message, elapsed());
    }
    return failed(call, "error", error instanceof Error ? error.message : String(error), elapsed());
  }

  try {
    return { name: call.name, callId: call.id, payload: pythonJsonDumps(value), success: true, error: null, durationMs: elapsed() };
  } catch (error) {
    if (error instanceof UnencodableShapeError) {
      return failed(call, "error", `Tool '${call.name}' returned a value that cannot be encoded as JSON: ${error.message}.`, elapsed());
    }
    if (!(error instanceof NotJsonSerializableError)) throw error;
    return failed(
      call,
      "error",
      `Tool '${call.name}' returned a non-JSON-serializable value: ${error.typeName}. ` +
        "Tool return values must be JSON-serializable (string, number, boolean, array, object, or null).",
      elapsed(),
    );
  }
}
