/**
 * `cosmos.base.query.v1beta1` pagination over a sorted list: `key` (the next item's sort key, as
 * returned in `next_key`) or `offset`, `limit` (default 100), `count_total`, `reverse`.
 */

/** The request fields the devnet reads (protobuf-es `PageRequest`). */
export interface PageRequestLike {
  key?: Uint8Array;
  offset?: bigint;
  limit?: bigint;
  countTotal?: boolean;
  reverse?: boolean;
}

/**
 * One page of `items` (already in key order) and its `PageResponse`.
 *
 * @example
 * ```ts
 * paginate(models, (m) => m.id, { limit: 1n }); // { items: [first], pagination: { nextKey: utf8(second.id), total: 0n } }
 * ```
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, req: PageRequestLike | undefined): { items: T[]; pagination: { nextKey: Uint8Array; total: bigint } } {
  const list = req?.reverse ? [...items].reverse() : [...items];
  const limit = Number(req?.limit && req.limit > 0n ? req.limit : 100n);
  let start = 0;
  if (req?.key && req.key.length > 0) {
    const key = new TextDecoder().decode(req.key);
    start = list.findIndex((x) => keyOf(x) === key);
    if (start < 0) start = list.length;
  } else if (req?.offset) {
    start = Number(req.offset);
  }
  const page = list.slice(start, start + limit);
  const next = list[start + limit];
  const countTotal = req?.countTotal || (!req?.key?.length && !req?.offset);
  return {
    items: page,
    pagination: { nextKey: next ? new TextEncoder().encode(keyOf(next)) : new Uint8Array(), total: countTotal ? BigInt(list.length) : 0n },
  };
}
