/**
 * Skills: `SKILL.md` instructions the model activates on demand.
 * @module
 */
export { Skill } from "../agent/skill.js";
