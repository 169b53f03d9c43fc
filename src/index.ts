/**
 * dendrux: the TypeScript runtime for agents that pause, persist and resume.
 * @module
 */
export { Agent } from "./agent/agent.js";
export type { AgentOptions, ApprovalDecision, CallApproval, ResumeOptions, RetryOptions, RunOptions, SubmitOptions } from "./agent/agent-options.js";
export { ChatMessage } from "./agent/chat-message.js";
export type { ChatRole } from "./agent/chat-message.js";
export { ContextBlock } from "./agent/context-block.js";
export type { ContextBlockOptions } from "./agent/context-block.js";
export { Budget } from "./agent/budget.js";
export { sweep } from "./agent/sweep.js";
export type { SweepOptions } from "./agent/sweep.js";
export type { SweepResult, SweptRun } from "./store/sweeper.js";
export type { DatabaseOptions } from "./store/database-options.js";
export type { StoreSource } from "./store/store-source.js";
export type { BudgetOptions } from "./agent/budget.js";
export { tool, isTool, DEFAULT_TOOL_TIMEOUT_SECONDS } from "./tool/tool.js";
export type { AnyTool, Tool, ToolContext, ToolOptions } from "./tool/tool.js";
export { askHuman } from "./tool/ask-human.js";
export type { AskHumanOptions } from "./tool/ask-human.js";
export type { ToolSource } from "./types/tool-source.js";
export type { Finding, Guardrail, GuardrailAction } from "./types/guardrail.js";
export { ReActLoop } from "./loops/react-loop.js";
export { SingleCall } from "./loops/single-call.js";
export type { ApprovalDecisions, Loop, LoopAgent, LoopContext, LoopOutcome, PendingBatch, PendingCalls, RunState } from "./loops/loop.js";
export type { BudgetLimits, IncomingScan, LoopGuard, LoopHooks, OutgoingScan } from "./loops/ports.js";
export { finishPendingBatch, runToolBatch } from "./loops/tool-batch.js";
export type { BatchInput } from "./loops/tool-batch.js";
export { NativeToolCalling } from "./strategies/native-tool-calling.js";
export type { BuildMessagesInput, BuiltRequest, Strategy } from "./strategies/strategy.js";
export { RunStream } from "./runtime/run-stream.js";
export type { RunHooks } from "./runtime/run-hooks.js";
export { DEFAULT_CAPABILITIES } from "./llm/provider.js";
export type { LLMProvider, LLMRequest, ProviderCallOptions, ProviderCapabilities } from "./llm/provider.js";
export { RunStatus, isTerminalStatus, isWaitingStatus } from "./types/run-status.js";
export { Role } from "./types/message.js";
export type { Message, Placement } from "./types/message.js";
export { ToolTarget } from "./types/tool-call.js";
export type { ListedTool, ToolCall, ToolDef, ToolResult } from "./types/tool-call.js";
export type { UsageStats } from "./types/usage.js";
export type { LLMResponse } from "./types/llm-response.js";
export type { AgentAction, AgentStep, ClarificationAction, FinishAction, ToolCallsAction } from "./types/agent-step.js";
export type { RunResult } from "./types/run-result.js";
export { RunEventType } from "./types/run-event.js";
export type { ProviderStreamEvent, RunEvent } from "./types/run-event.js";
export { GovernanceEventType } from "./types/governance.js";
export type { LlmCallCompletedDetails, LlmCallDetails, Notifier } from "./types/notifier.js";
export {
  DendruxError,
  ValidationError,
  RunNotFoundError,
  RunNotPausedError,
  PauseStatusMismatchError,
  RunAlreadyClaimedError,
  RunAlreadyTerminalError,
  InvalidToolResultError,
  PersistenceNotConfiguredError,
  ProviderNotConfiguredError,
  SchemaNotInitializedError,
  DatabaseNotFoundError,
  IdempotencyConflictError,
  RunAlreadyActiveError,
  StructuredOutputValidationError,
  DelegationDepthExceededError,
  RunFailedError,
  PendingToolMismatchError,
  ProviderError,
  ProviderTimeoutError,
  ProviderConnectionError,
} from "./errors/index.js";
