/**
 * Every error class dendrux throws on purpose.
 * @module
 */
export { DendruxError } from "./dendrux-error.js";
export { ValidationError } from "./validation-error.js";
export { RunNotFoundError } from "./run-not-found-error.js";
export { RunNotPausedError } from "./run-not-paused-error.js";
export { PauseStatusMismatchError } from "./pause-status-mismatch-error.js";
export { RunAlreadyClaimedError } from "./run-already-claimed-error.js";
export { RunAlreadyTerminalError } from "./run-already-terminal-error.js";
export { InvalidToolResultError } from "./invalid-tool-result-error.js";
export { PersistenceNotConfiguredError } from "./persistence-not-configured-error.js";
export { ProviderNotConfiguredError } from "./provider-not-configured-error.js";
export { SchemaNotInitializedError } from "./schema-not-initialized-error.js";
export { DatabaseNotFoundError } from "./database-not-found-error.js";
export { IdempotencyConflictError } from "./idempotency-conflict-error.js";
export { RunAlreadyActiveError } from "./run-already-active-error.js";
export { StructuredOutputValidationError } from "./structured-output-validation-error.js";
export { DelegationDepthExceededError } from "./delegation-depth-exceeded-error.js";
export { RunFailedError } from "./run-failed-error.js";
export { RunStartFailedError } from "./run-start-failed-error.js";
export { PendingToolMismatchError } from "./pending-tool-mismatch-error.js";
export { ProviderError, ProviderTimeoutError, ProviderConnectionError } from "./provider-error.js";
