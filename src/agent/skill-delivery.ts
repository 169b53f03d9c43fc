import { jsonSchemaTool, type AnyTool } from "../tool/tool.js";
import type { Skill } from "./skill.js";

export const USE_SKILL = "use_skill";

/** ReAct: a catalogue after the prompt; the model asks for a skill's body with `use_skill`. */
export function promptWithCatalogue(prompt: string, skills: readonly Skill[]): string {
  const sorted = [...skills].sort((a, b) => (a.name < b.name ? -1 : 1));
  return (
    `${prompt}\n\n\n## Available Skills\n\nYou have access to the following skills. To use a skill, call the \`use_skill\` tool with the skill name. ` +
    "The skill's detailed instructions will be returned to you.\n\n" +
    sorted.map((s) => `- **${s.name}**: ${s.description}`).join("\n")
  );
}

/** SingleCall: no tools, so every body is inlined. */
export function promptWithBodies(prompt: string, skills: readonly Skill[]): string {
  const sorted = [...skills].sort((a, b) => (a.name < b.name ? -1 : 1));
  return `${prompt}\n\n\n## Skills${sorted.map((s) => `\n\n### Skill: ${s.name}\n\n${s.body}`).join("")}`;
}

export function useSkillTool(skills: readonly Skill[]): AnyTool {
  const byName = new Map(skills.map((s) => [s.name, s]));
  return jsonSchemaTool({
    name: USE_SKILL,
    description: "Activate a skill to get detailed instructions for a task. Call this with the skill name before performing a skill-related task.",
    inputSchema: { type: "object", properties: { name: { type: "string", description: "The name of the skill to activate." } }, required: ["name"] },
    meta: { "dendrux.internal": true },
    execute: ({ name }) => {
      const skill = byName.get(String(name));
      if (skill) return skill.body;
      const available = [...byName.keys()].sort();
      return `Skill '${String(name)}' not found. ${available.length > 0 ? `Available skills: ${available.join(", ")}` : "No skills are available."}`;
    },
  });
}
