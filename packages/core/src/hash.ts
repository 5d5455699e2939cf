// Stable short hashes for prompts and cache keys.
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 16 hex digits of sha256: collision-safe for journals of millions of records. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 16);
}
