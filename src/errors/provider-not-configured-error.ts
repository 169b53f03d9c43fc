import { DendruxError } from "./dendrux-error.js";

/**
 * The operation runs the model and the agent was built without a provider.
 * Such an agent may only cancel runs (`cancelRun`) and describe itself.
 */
export class ProviderNotConfiguredError extends DendruxError {
  override readonly name = "ProviderNotConfiguredError";
  /** The agent's name. */
  readonly agentName: string;
  /** The method that needed the provider (`run`, `submitApproval`, …). */
  readonly operation: string;

  constructor({ agentName, operation }: { agentName: string; operation: string }) {
    super(
      `Agent '${agentName}' has no provider, so ${operation}() cannot run the model. Pass provider to the Agent constructor ` +
        "(an agent without one can only cancel runs).",
    );
    this.agentName = agentName;
    this.operation = operation;
  }
}
