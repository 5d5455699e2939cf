import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake-backend.js';

describe('FakeBackend', () => {
  it('answers scripted generations with stop sequences and is deterministic', async () => {
    const fake = new FakeBackend({ generate: (p) => `${p.length} tokens\nmore` });
    const [r] = await fake.generate([{ prompt: 'abc', until: ['\n'], maxTokens: 5 }]);
    expect(r?.text).toBe('3 tokens');
    const a = await fake.loglikelihood([{ context: 'x', continuation: 'yz' }]);
    const b = await new FakeBackend().loglikelihood([{ context: 'x', continuation: 'yz' }]);
    expect(a).toEqual(b);
    expect(a[0]?.tokens).toBe(2);
    expect(fake.calls.requests).toBe(2);
  });
});
