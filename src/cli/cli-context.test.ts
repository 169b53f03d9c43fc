import { expect, it } from "vitest";
import { makeOutput, printTable } from "./cli-context.js";

function stream(isTTY: boolean) {
  let text = "";
  return { isTTY, write: (chunk: string) => ((text += chunk), true), text: () => text };
}

it("on a terminal: colours and aligned columns; piped: plain tab-separated text", () => {
  const previous = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
  try {
    const tty = stream(true);
    const out = makeOutput(tty as unknown as NodeJS.WriteStream);
    printTable(out, ["ID", "Status"], [["r1", out.colors.green("success")], ["run-two", "error"]]);
    expect(tty.text()).toBe("\x1b[1mID\x1b[22m       \x1b[1mStatus\x1b[22m\nr1       \x1b[32msuccess\x1b[39m\nrun-two  error\n");
    const piped = stream(false);
    const plain = makeOutput(piped as unknown as NodeJS.WriteStream);
    printTable(plain, ["ID", "Status"], [["r1", plain.colors.green("success")], ["run\ttwo", "error"]]);
    expect(piped.text()).toBe("ID\tStatus\nr1\tsuccess\nrun two\terror\n");
  } finally {
    if (previous !== undefined) process.env.NO_COLOR = previous;
  }
});

it("NO_COLOR turns colours off on a terminal; the table stays aligned", () => {
  const previous = process.env.NO_COLOR;
  process.env.NO_COLOR = "1";
  try {
    const tty = stream(true);
    const out = makeOutput(tty as unknown as NodeJS.WriteStream);
    printTable(out, ["ID", "Status"], [["r1", out.colors.green("success")]]);
    expect(tty.text()).toBe("ID  Status\nr1  success\n");
  } finally {
    if (previous === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = previous;
  }
});
