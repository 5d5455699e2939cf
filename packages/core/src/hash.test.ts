import { sha256 as noble } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { sha256, shortHash } from './hash.js';

describe('hashes', () => {
  it('Node\'s SHA-256 gives the keys the browser page computes with noble', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const text of ['', 'Q: 12+34=\nA:', 'naïve — 東京 🙂', 'x'.repeat(10_000)]) expect(sha256(text)).toBe(bytesToHex(noble(utf8ToBytes(text))));
    expect(shortHash('abc')).toBe('ba7816bf8f01cfea');
  });
});
