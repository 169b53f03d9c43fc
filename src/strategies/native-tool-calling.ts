import type { AgentStep } from "../types/agent-step.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { ToolResult } from "../types/tool-call.js";
import type { BuildMessagesInput, BuiltRequest, Strategy } from "./strategy.js";

/** Tool calls through the vendor's native function-calling API. */
export class NativeToolCalling implements Strategy {
  readonly name = "NativeToolCalling";

  buildMessages({ systemPrompt, history, toolDefs }: BuildMessagesInput): BuiltRequest {
    return {
      messages: [{ role: "system", content: systemPrompt }, ...history],
      tools: toolDefs.length > 0 ? toolDefs : null,
    };
  }

  parseResponse(response: LLMResponse): AgentStep {
    const calls = response.toolCalls ?? [];
    if (calls.length > 0) {
      // Text next to tool calls is commentary: it never finishes the run.
      return { reasoning: response.text, action: { type: "tool_calls", calls }, rawResponse: response.text };
    }
    return { reasoning: null, action: { type: "finish", answer: response.text ?? "" }, rawResponse: response.text };
  }

  formatToolResult(result: ToolResult): Message {
    return {
      role: "tool",
      content: result.payload,
      name: result.name,
      callId: result.callId,
      meta: result.success === false ? { is_error: true } : {},
    };
  }
}
