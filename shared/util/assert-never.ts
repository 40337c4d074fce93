/** Exhaustiveness guard: `default: return assertNever(x)` turns a missed union case into a compile error. */
export function assertNever(value: never, message = 'unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}
