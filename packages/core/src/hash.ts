// Stable short hashes for prompts and cache keys. Pure JavaScript (noble), so
// Node and the browser page compute the same keys.
import { sha256 as sha256Bytes } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256(text: string): string {
  return bytesToHex(sha256Bytes(utf8ToBytes(text)));
}

/** 16 hex digits of sha256: collision-safe for journals of millions of records. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 16);
}
