import { describe, expect, it } from "vitest";
import { browserCommand, openBrowser } from "./open-browser.js";

describe("opening the dashboard in a browser", () => {
  const url = "http://localhost:8001";

  it("uses the platform's opener, or BROWSER with %s standing for the URL", () => {
    expect(browserCommand(url, {}, "linux")).toEqual({ command: "xdg-open", args: [url] });
    expect(browserCommand(url, {}, "darwin")).toEqual({ command: "open", args: [url] });
    expect(browserCommand(url, {}, "win32")).toEqual({ command: "cmd", args: ["/c", "start", "", url] });
    expect(browserCommand(url, { BROWSER: "firefox --new-tab" }, "linux")).toEqual({ command: "firefox", args: ["--new-tab", url] });
    expect(browserCommand(url, { BROWSER: "chromium --app=%s" }, "darwin")).toEqual({ command: "chromium", args: [`--app=${url}`] });
  });

  it("an opener that cannot start is reported, not thrown", async () => {
    expect(await openBrowser(url, { BROWSER: "/nonexistent/opener" })).toBe(
      `Could not open a browser (/nonexistent/opener: spawn /nonexistent/opener ENOENT); open ${url} yourself.`,
    );
  });
});
