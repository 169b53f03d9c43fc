import { spawn } from "node:child_process";

/**
 * The command that opens `url` in the user's browser: `BROWSER` when it is set
 * (a command line; `%s` stands for the URL, else the URL is appended), else
 * the platform's opener (`open` on macOS, `start` on Windows, `xdg-open`
 * elsewhere).
 */
export function browserCommand(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  const custom = env.BROWSER?.trim();
  if (custom) {
    const [command, ...rest] = custom.split(/\s+/);
    const args = rest.some((a) => a.includes("%s")) ? rest.map((a) => a.replaceAll("%s", url)) : [...rest, url];
    return { command: command!, args };
  }
  if (platform === "darwin") return { command: "open", args: [url] };
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", "", url] };
  return { command: "xdg-open", args: [url] };
}

/**
 * Opens `url` in a browser without waiting for it (the opener is detached).
 * Returns `null`, or why it could not be started: never throws, the
 * dashboard serves either way.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const { command, args } = browserCommand(url, env);
  return new Promise((settle) => {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.once("error", (error) => settle(`Could not open a browser (${command}: ${error.message}); open ${url} yourself.`));
    child.once("spawn", () => {
      child.unref();
      settle(null);
    });
  });
}
