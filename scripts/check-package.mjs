// Checks the built package as a user would get it: every `exports` entry is in
// the tarball with its declarations and loads by its public name, the CLI runs,
// and the dashboard's static files ship. Run after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }))[0];
const shipped = new Set(packed.files.map((f) => f.path));
const problems = [];

for (const [subpath, targets] of Object.entries(pkg.exports)) {
  for (const file of [targets.import, targets.types]) {
    if (!shipped.has(file.replace(/^\.\//, ""))) problems.push(`${subpath}: ${file} is not in the package`);
  }
  const name = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
  try {
    // Self-reference: resolves through this package's own `exports` map, as an installed copy would.
    const module = await import(name);
    if (Object.keys(module).length === 0) problems.push(`${name} exports nothing`);
  } catch (error) {
    problems.push(`${name} does not load: ${error.message}`);
  }
}
for (const file of ["dashboard/index.html", "dashboard/app.js", "dashboard/app.css", pkg.bin.dendrux]) {
  if (!shipped.has(file)) problems.push(`${file} is not in the package`);
}
// The dashboard serves its UI library from the installed dependencies, never a CDN.
for (const name of ["preact", "htm"]) {
  if (!pkg.dependencies[name]) problems.push(`${name} must be a dependency: the dashboard serves it`);
}
const version = spawnSync(process.execPath, [pkg.bin.dendrux, "--version"], { encoding: "utf8" });
if (version.status !== 0 || version.stdout.trim() !== `dendrux ${pkg.version}`) problems.push(`\`dendrux --version\` printed ${JSON.stringify(version.stdout)}`);
const cli = spawnSync(process.execPath, [pkg.bin.dendrux, "--help"], { encoding: "utf8" });
if (cli.status !== 0 || !/\bruns\b/.test(cli.stdout) || !/\bdashboard\b/.test(cli.stdout)) {
  problems.push(`\`dendrux --help\` failed or does not list its commands (exit ${cli.status})`);
}

if (problems.length > 0) {
  console.error(`package check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`package check: ${Object.keys(pkg.exports).length} entry points load, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB packed`);
