/**
 * Tiny runtime checks for response bodies. A {@link Shape} checks a parsed JSON value and returns it
 * typed; on a mismatch it throws {@link ShapeMismatch} with a JSON path, which the HTTP core turns
 * into a `ResponseSchemaError`. Shapes check what a client relies on; unknown extra fields pass
 * through untouched (servers add fields between releases).
 *
 * @example
 * ```ts
 * const state = s.object<{ state: "POW" | "STOPPED" }>({ state: s.oneOf(["POW", "STOPPED"]) });
 * state.check(JSON.parse(text), "$");
 * ```
 * @module
 */

/** Thrown by a shape when a value does not match; `path` is a JSON path such as `$.nodes[2].id`. */
export class ShapeMismatch extends Error {
  override name = "ShapeMismatch";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`at ${path}: ${problem}`);
  }
}

/** A runtime check that returns the value typed as `T`. */
export interface Shape<T> {
  /** Human-readable description, used in mismatch messages. */
  readonly expected: string;
  /** Returns `value` typed as `T`, or throws {@link ShapeMismatch}. */
  check(value: unknown, path: string): T;
}

/** A field that may be absent (or `undefined`) in an object shape. */
export interface OptionalShape<T> extends Shape<T | undefined> {
  readonly optional: true;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function make<T>(expected: string, test: (value: unknown, path: string) => T): Shape<T> {
  return { expected, check: test };
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ShapeMismatch(path, `expected ${expected}, got ${describe(value)}`);
}

/** Any string. */
export function string(): Shape<string> {
  return make("a string", (v, p) => (typeof v === "string" ? v : fail(p, "a string", v)));
}

/** Any finite JSON number. */
export function number(): Shape<number> {
  return make("a number", (v, p) => (typeof v === "number" && Number.isFinite(v) ? v : fail(p, "a number", v)));
}

/** An integer JSON number. */
export function integer(): Shape<number> {
  return make("an integer", (v, p) => (typeof v === "number" && Number.isInteger(v) ? v : fail(p, "an integer", v)));
}

/** `true` or `false`. */
export function boolean(): Shape<boolean> {
  return make("a boolean", (v, p) => (typeof v === "boolean" ? v : fail(p, "a boolean", v)));
}

/** JSON `null`. */
export function nullValue(): Shape<null> {
  return make("null", (v, p) => (v === null ? null : fail(p, "null", v)));
}

/** One of the listed string (or other primitive) values. */
export function oneOf<const V extends readonly (string | number | boolean)[]>(values: V): Shape<V[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return make(expected, (v, p) => ((values as readonly unknown[]).includes(v) ? (v as V[number]) : fail(p, expected, v)));
}

/** Anything; the value is passed through as `T` unchecked (for free-form server objects). */
export function unknown<T = unknown>(): Shape<T> {
  return make("any value", (v) => v as T);
}

/** An array whose every item matches `item`. */
export function array<T>(item: Shape<T>): Shape<T[]> {
  const expected = `an array of ${item.expected}`;
  return make(expected, (v, p) => {
    if (!Array.isArray(v)) fail(p, expected, v);
    v.forEach((x, i) => item.check(x, `${p}[${i}]`));
    return v as T[];
  });
}

/** `inner` or JSON `null`. */
export function nullable<T>(inner: Shape<T>): Shape<T | null> {
  return make(`${inner.expected} or null`, (v, p) => (v === null ? null : inner.check(v, p)));
}

/** Marks an object field as optional: absent or `undefined` is accepted, otherwise `inner` must match. */
export function optional<T>(inner: Shape<T>): OptionalShape<T> {
  return {
    optional: true,
    expected: `${inner.expected} (optional)`,
    check: (v, p) => (v === undefined ? undefined : inner.check(v, p)),
  };
}

/** The first of `shapes` that matches. */
export function union<T>(shapes: readonly Shape<T>[]): Shape<T> {
  const expected = shapes.map((s) => s.expected).join(" or ");
  return make(expected, (v, p) => {
    for (const shape of shapes) {
      try {
        return shape.check(v, p);
      } catch (e) {
        if (!(e instanceof ShapeMismatch)) throw e;
      }
    }
    return fail(p, expected, v);
  });
}

/** Field checks for an object of type `T`; listed fields are checked, others pass through. */
export type FieldShapes<T> = { [K in keyof T]?: Shape<T[K]> | OptionalShape<Exclude<T[K], undefined>> };

/**
 * A JSON object (not an array, not null) whose listed fields match. Fields wrapped in
 * {@link optional} may be absent; all other listed fields must be present.
 */
export function object<T extends object>(fields: FieldShapes<T>): Shape<T> {
  const expected = "an object";
  return make(expected, (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, expected, v);
    const record = v as Record<string, unknown>;
    for (const [key, shape] of Object.entries(fields) as [string, Shape<unknown> | OptionalShape<unknown>][]) {
      const at = `${p}.${key}`;
      if (!(key in record) && !("optional" in shape)) throw new ShapeMismatch(at, `missing (expected ${shape.expected})`);
      shape.check(record[key], at);
    }
    return v as T;
  });
}

/** A JSON object used as a map: every value matches `value`. */
export function record<T>(value: Shape<T>): Shape<Record<string, T>> {
  const expected = `an object of ${value.expected}`;
  return make(expected, (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, expected, v);
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) value.check(item, `${p}.${key}`);
    return v as Record<string, T>;
  });
}
