// Deterministic sharding: a work item belongs to shard i of n by a hash of
// its key, so every machine of a CI matrix agrees without talking.
import { UserError, hashString } from '@emergence/core';

export interface Shard {
  index: number;
  count: number;
}

/** Parse `i/n` (1-based i). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard must be i/n with 1 ≤ i ≤ n, got "${text}"`, { hint: 'for example --shard 2/4' });
  }
  return { index, count };
}

export function inShard(key: string, shard: Shard | null): boolean {
  return !shard || hashString(key) % shard.count === shard.index - 1;
}

export function shardLabel(shard: Shard | null): string | null {
  return shard ? `${shard.index}/${shard.count}` : null;
}
