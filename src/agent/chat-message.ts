export type ChatRole = "user" | "assistant";

/**
 * One earlier turn of a conversation, passed as `history` to `agent.run`.
 * Role and text only: tool calls and runtime metadata cannot be injected.
 */
export class ChatMessage {
  readonly role: ChatRole;
  readonly content: string;

  constructor(role: ChatRole, content: string) {
    this.role = role;
    this.content = content;
    Object.freeze(this);
  }

  /** Alias of `content`. */
  get text(): string {
    return this.content;
  }

  static user(text: string): ChatMessage {
    return new ChatMessage("user", text);
  }

  static assistant(text: string): ChatMessage {
    return new ChatMessage("assistant", text);
  }
}
