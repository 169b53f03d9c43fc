import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, SingleCall, ValidationError } from "../../src/index.js";
import type { Notifier } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { Skill } from "../../src/skills/index.js";
import { add } from "../support/tools.js";
import { tool } from "../../src/index.js";
import { z } from "zod";

const fixtures = join(import.meta.dirname, "..", "fixtures", "skills");

describe("Skill", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dendrux-skills-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "SKILL.md"), content);
    return join(dir, name);
  };

  it("loads SKILL.md frontmatter and body", () => {
    const skill = Skill.fromDir(join(fixtures, "refunds"));
    expect(skill).toMatchObject({ name: "refunds", description: "How to handle refund requests.", license: "Apache-2.0", metadata: { owner: "support" } });
    expect(skill.body).toBe("1. Look the order up.\n2. Refund only delivered, damaged orders.");
    expect(Skill.scanDir(fixtures).map((s) => s.name)).toEqual(["refunds", "triage"]);
  });

  it.each([
    ["no-front", "# hi", /must start with YAML frontmatter/],
    ["no-close", "---\nname: no-close\n", /no closing ---/],
    ["no-desc", "---\nname: no-desc\n---\nbody", /Missing required 'description'/],
    ["Bad-Name", "---\nname: Bad-Name\ndescription: d\n---\n", /is invalid/],
    ["a--b", "---\nname: a--b\ndescription: d\n---\n", /consecutive hyphens/],
    ["other", "---\nname: mismatch\ndescription: d\n---\n", /does not match directory name 'other'/],
  ])("rejects %s", (name, content, message) => {
    const path = write(name, content);
    expect(() => Skill.fromDir(path)).toThrow(ValidationError);
    expect(() => Skill.fromDir(path)).toThrow(message);
  });
});

describe("skills in an agent", () => {
  it("ReAct: catalogue in the prompt, use_skill returns the body, events recorded", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "use_skill", params: { name: "refunds" } }] }, { toolCalls: [{ name: "use_skill", params: { name: "nope" } }] }, "ok"]);
    const events: string[] = [];
    const notifier: Notifier = { onGovernanceEvent: (_r, type, i, data) => void events.push(`${type}(${i}) ${JSON.stringify(data)}`) };
    const agent = new Agent({ provider: llm, prompt: "You help.", tools: [add], skillsDir: fixtures, denySkills: ["triage"] });
    await agent.run("refund please", { notifier });
    expect(llm.calls[0]!.system).toBe(
      "You help.\n\n\n## Available Skills\n\nYou have access to the following skills. To use a skill, call the `use_skill` tool with the skill name. " +
        "The skill's detailed instructions will be returned to you.\n\n- **refunds**: How to handle refund requests.",
    );
    expect(llm.calls[0]!.tools!.map((t) => t.name)).toEqual(["add", "use_skill"]);
    const toolResults = llm.calls[2]!.messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content));
    expect(toolResults).toEqual(["1. Look the order up.\n2. Refund only delivered, damaged orders.", "Skill 'nope' not found. Available skills: refunds"]);
    expect(events).toEqual([
      `skill.registered(0) {"skill_name":"refunds","description":"How to handle refund requests."}`,
      `skill.denied(0) {"skill_name":"triage","reason":"denied_by_policy"}`,
      `skill.invoked(1) {"skill_name":"refunds"}`,
      `skill.invoked(2) {"skill_name":"nope"}`,
    ]);
  });

  it("SingleCall: bodies inlined, no tool", async () => {
    const llm = new MockLLM(["fine"]);
    await new Agent({ provider: llm, prompt: "P", loop: new SingleCall(), skills: [Skill.fromDir(join(fixtures, "triage"))] }).run("x");
    expect(llm.calls[0]!.system).toBe("P\n\n\n## Skills\n\n### Skill: triage\n\nUrgent: money or safety. Everything else: normal.");
    expect(llm.calls[0]!.tools).toBeNull();
  });

  it("reserves use_skill and rejects duplicates", () => {
    const own = tool({ name: "use_skill", description: "", parameters: z.object({}), execute: () => 1 });
    expect(() => new Agent({ provider: new MockLLM([]), prompt: "p", tools: [own], skillsDir: fixtures })).toThrow(/'use_skill' is reserved/);
    expect(() => new Agent({ provider: new MockLLM([]), prompt: "p", skillsDir: fixtures, skills: [Skill.fromDir(join(fixtures, "refunds"))] })).toThrow(
      /duplicate skill name 'refunds'/,
    );
    expect(() => new Agent({ provider: new MockLLM([]), prompt: "p", skillsDir: join(fixtures, "missing") })).toThrow(/Skills directory not found/);
  });
});
