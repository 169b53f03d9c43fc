/** Governance event types, stored verbatim in `run_events.event_type`. */
export type GovernanceEventType =
  | "policy.denied"
  | "approval.requested"
  | "approval.decided"
  | "budget.threshold"
  | "budget.exceeded"
  | "guardrail.detected"
  | "guardrail.redacted"
  | "guardrail.blocked"
  | "guardrail.unmapped_placeholder"
  | "skill.registered"
  | "skill.denied"
  | "skill.invoked"
  | "mcp.connected"
  | "mcp.error"
  | "provider.retry";

export const GovernanceEventType = {
  POLICY_DENIED: "policy.denied",
  APPROVAL_REQUESTED: "approval.requested",
  APPROVAL_DECIDED: "approval.decided",
  BUDGET_THRESHOLD: "budget.threshold",
  BUDGET_EXCEEDED: "budget.exceeded",
  GUARDRAIL_DETECTED: "guardrail.detected",
  GUARDRAIL_REDACTED: "guardrail.redacted",
  GUARDRAIL_BLOCKED: "guardrail.blocked",
  GUARDRAIL_UNMAPPED_PLACEHOLDER: "guardrail.unmapped_placeholder",
  SKILL_REGISTERED: "skill.registered",
  SKILL_DENIED: "skill.denied",
  SKILL_INVOKED: "skill.invoked",
  MCP_CONNECTED: "mcp.connected",
  MCP_ERROR: "mcp.error",
  PROVIDER_RETRY: "provider.retry",
} as const satisfies Record<string, GovernanceEventType>;
