/** Exits with a clear message when the key an example needs is not set. */
export function needKey(variable: string, example: string): void {
  if (process.env[variable]) return;
  console.log(`${example}: set ${variable} to run this example against the real API (nothing was sent).`);
  process.exit(0);
}
