/**
 * Defaults of the components' args, applied in one place per component (its `with…Defaults`):
 * each defaulted field is optional in the args type, carries `@default <value>` in its doc comment
 * (REFERENCE.md shows it; tests/components-docs.test.ts checks it equals the value applied here),
 * and the program's config schema takes the same constant as its zod default.
 */

/** `T` once `D`'s fields are filled in: those keys are required and never undefined. */
export type Defaulted<T, D> = Omit<T, keyof D & keyof T> & { [K in keyof D & keyof T]-?: Exclude<T[K], undefined> };

/** A copy of `value` with every field of `defaults` it leaves undefined set to (a copy of) the default. */
export function withDefaults<T extends object, D extends Partial<T>>(value: T, defaults: D): Defaulted<T, D> {
  const out = { ...value } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(defaults)) {
    if (out[key] === undefined) out[key] = structuredClone(fallback);
  }
  return out as Defaulted<T, D>;
}
