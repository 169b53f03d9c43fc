/** `{ … }` written as a literal (or `Object.create(Object.prototype)`): not an array, a class instance or `null`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
