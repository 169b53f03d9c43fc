import { describe, expect, it } from "vitest";
import { isHot } from "./prepared-statements.js";

describe("which statements are prepared on PostgreSQL", () => {
  it("the writer's commits and the store's reads are; a read naming * and anything else are not", () => {
    expect(isHot('WITH lease AS (update "agent_runs" set …) SELECT lease.cancel_requested FROM lease')).toBe(true);
    expect(isHot('select "id", "agent_name" from "agent_runs" where "status" = $1 order by "created_at" desc, "id" desc limit $2')).toBe(true);
    expect(isHot('select count(*) as "n" from (select 1 as "one" from "agent_runs" where "status" = $1 limit $2) as "matching"')).toBe(true);
    // A prepared `SELECT *` fails once another service adds a column to the table.
    expect(isHot('select * from "agent_runs" where "id" = $1')).toBe(false);
    expect(isHot('select "agent_runs".* from "agent_runs"')).toBe(false);
    expect(isHot('update "agent_runs" set "cancel_requested" = $1 where "id" = $2')).toBe(false);
    expect(isHot("BEGIN")).toBe(false);
  });
});
