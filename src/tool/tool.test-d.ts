import { expectTypeOf, test } from "vitest";
import { z } from "zod";
import { tool, type ToolContext } from "./tool.js";

test("execute's arguments are inferred from the zod schema", () => {
  tool({
    name: "t",
    description: "",
    parameters: z.object({ a: z.number(), tags: z.array(z.string()).optional() }),
    execute: (args, ctx) => {
      expectTypeOf(args).toEqualTypeOf<{ a: number; tags?: string[] | undefined }>();
      expectTypeOf(ctx).toEqualTypeOf<ToolContext>();
      return args.a;
    },
  });
  // @ts-expect-error — a parameter the schema does not declare
  tool({ name: "u", description: "", parameters: z.object({ a: z.number() }), execute: ({ b }: { b: string }) => b });
});
