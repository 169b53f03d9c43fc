import { ValidationError } from "../errors/validation-error.js";
import { Skill } from "./skill.js";
import { promptWithBodies, promptWithCatalogue, USE_SKILL, useSkillTool } from "./skill-delivery.js";
import type { AnyTool } from "../tool/tool.js";
import { logger } from "../util/logger.js";

export interface LoadedSkills {
  readonly systemPrompt: string;
  /** `use_skill` for loops with tools; none otherwise. */
  readonly tools: readonly AnyTool[];
  readonly initEvents: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
}

/**
 * Loads an agent's skills (directory scan, then explicit skills), drops the
 * denied ones and shapes how they reach the model: a catalogue plus `use_skill`
 * for loops with tools, the full bodies in the prompt for SingleCall.
 */
export function loadSkills(
  who: string,
  prompt: string,
  options: { skillsDir?: string; skills?: readonly Skill[]; denySkills?: readonly string[]; supportsTools: boolean; toolNames: readonly string[] },
): LoadedSkills {
  if (options.skillsDir !== undefined && typeof options.skillsDir !== "string") {
    throw new ValidationError({ field: "skillsDir", message: `${who} skillsDir must be a string, got ${typeof options.skillsDir}.` });
  }
  for (const field of ["skills", "denySkills"] as const) {
    const value = options[field];
    if (value !== undefined && !Array.isArray(value)) throw new ValidationError({ field, message: `${who} ${field} must be an array, got ${typeof value}.` });
  }
  (options.skills ?? []).forEach((s, i) => {
    if (!(s instanceof Skill)) throw new ValidationError({ field: `skills[${i}]`, message: `${who} skills[${i}] is not a Skill instance. Use Skill.fromDir(path).` });
  });
  const all = [...(options.skillsDir !== undefined ? Skill.scanDir(options.skillsDir) : []), ...(options.skills ?? [])];
  if (all.length === 0) return { systemPrompt: prompt, tools: [], initEvents: [] };
  if (options.toolNames.includes(USE_SKILL)) {
    throw new ValidationError({ field: "tools", message: `${who} has a tool named 'use_skill' but also has skills configured. 'use_skill' is reserved as the skill activation tool when skills are present.` });
  }
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.name)) throw new ValidationError({ field: "skills", message: `${who} has duplicate skill name '${s.name}'. Each skill must have a unique name.` });
    seen.add(s.name);
  }
  const denied = new Set(options.denySkills ?? []);
  const loaded = all.filter((s) => !denied.has(s.name));
  const initEvents = [
    ...loaded.map((s) => ({ type: "skill.registered", data: { skill_name: s.name, description: s.description } })),
    ...all.filter((s) => denied.has(s.name)).map((s) => ({ type: "skill.denied", data: { skill_name: s.name, reason: "denied_by_policy" } })),
  ];
  if (loaded.length === 0) return { systemPrompt: prompt, tools: [], initEvents };
  if (options.supportsTools) return { systemPrompt: promptWithCatalogue(prompt, loaded), tools: [useSkillTool(loaded)], initEvents };
  const systemPrompt = promptWithBodies(prompt, loaded);
  logger.warn(`${who}: ${loaded.length} skill(s) inlined into the system prompt (${systemPrompt.length} characters) because this loop has no tools.`);
  return { systemPrompt, tools: [], initEvents };
}
