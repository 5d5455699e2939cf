// The Hub path against a loopback Hub: download into the standard cache
// layout, load from the snapshot, offline reuse, and the errors a user meets.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dtype, ModelSpec } from '@emergence/core';
import { loadBackend } from './backends.js';
import { hubCacheDir, hubEndpoint } from './hub-cache.js';
import { startLoopbackHub, twinRepos, TWINS_DIR, type LoopbackHub } from './loopback-hub.js';
import { fetchModel, ModelError } from './model-source.js';

const repo = 'emergence-twins/qwen2.5-twin';
const hubSpec = (revision?: string, dtypes: Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'int8']): ModelSpec => ({
  id: 'qwen-twin',
  source: revision ? { hub: repo, revision } : { hub: repo },
  params: 1,
  nonEmbeddingParams: 1,
  dtypes,
  defaultDtype: 'fp32',
});

let hub: LoopbackHub;
beforeAll(async () => {
  hub = await startLoopbackHub({ repos: twinRepos() });
});
afterAll(async () => hub?.close());

const fresh = () => mkdtempSync(join(tmpdir(), 'hf-cache-'));
const error = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ModelError);

describe('download into the Hugging Face cache', () => {
  it('writes blobs, a snapshot of links for the commit and refs/main, then loads from the snapshot', async () => {
    const cache = fresh();
    await fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: hub.url });
    const dir = join(cache, 'models--emergence-twins--qwen2.5-twin');
    const commit = hub.commits[repo]!;
    expect(readFileSync(join(dir, 'refs', 'main'), 'utf8')).toBe(commit);
    const snapshot = join(dir, 'snapshots', commit);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx']) {
      expect(lstatSync(join(snapshot, f)).isSymbolicLink(), f).toBe(true);
      expect(readFileSync(join(snapshot, f)).equals(readFileSync(join(TWINS_DIR, 'qwen2.5-twin', f))), f).toBe(true);
    }
    // LFS files are stored under their sha256, as huggingface_hub stores them.
    expect(readlinkSync(join(snapshot, 'onnx/model.onnx'))).toMatch(/^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/);
    // Only the requested dtype came down.
    expect(existsSync(join(snapshot, 'onnx/model_fp16.onnx'))).toBe(false);

    const before = hub.requests.length;
    const backend = await loadBackend(hubSpec(), { device: 'cpu', dtype: 'fp32', offline: true, cacheDir: cache });
    const ref = JSON.parse(readFileSync(join(TWINS_DIR, 'qwen2.5-twin.reference.json'), 'utf8')) as { prompts: { prompt: string; logprobs: number[] }[] };
    const [got] = await backend.loglikelihood([{ context: '', continuation: ref.prompts[0]!.prompt }]);
    await backend.dispose();
    got!.tokenLogprobs.forEach((lp, j) => expect(Math.abs(lp - ref.prompts[0]!.logprobs[j]!)).toBeLessThan(1e-4));
    expect(hub.requests.length).toBe(before);
  });

  it('a model already in the cache is not asked for again, online or offline; another dtype fetches only its file', async () => {
    const cache = fresh();
    await fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: hub.url });
    const before = hub.requests.length;
    await fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: hub.url });
    await fetchModel(hubSpec(), { dtype: 'fp32', offline: true, cacheDir: cache, endpoint: hub.url });
    expect(hub.requests.length).toBe(before);
    await fetchModel(hubSpec(), { dtype: 'fp16', offline: false, cacheDir: cache, endpoint: hub.url });
    const gets = hub.requests.slice(before).filter((r) => r.startsWith('GET'));
    expect(gets).toEqual([`GET /${repo}/resolve/${hub.commits[repo]}/onnx/model_fp16.onnx`, expect.stringMatching(/^GET \/cdn\/[0-9a-f]{64}$/)]);
  });

  it('a pinned commit downloads into that snapshot; offline then finds it', async () => {
    const cache = fresh();
    const commit = hub.commits[repo]!;
    await fetchModel(hubSpec(commit), { dtype: 'q8', offline: false, cacheDir: cache, endpoint: hub.url });
    expect(existsSync(join(cache, 'models--emergence-twins--qwen2.5-twin', 'snapshots', commit, 'onnx', 'model_quantized.onnx'))).toBe(true);
    const b = await loadBackend(hubSpec(commit), { device: 'cpu', dtype: 'q8', offline: true, cacheDir: cache });
    expect(b.describe().dtype).toBe('q8');
    await b.dispose();
  });

  it('a revision that does not exist names the revision, the repo, the endpoint and the ladder field', async () => {
    const err = await error(fetchModel(hubSpec('v9.9'), { dtype: 'fp32', offline: false, cacheDir: fresh(), endpoint: hub.url }));
    expect(err).toBeInstanceOf(ModelError);
    expect(err!.message).toBe(`qwen-twin: revision "v9.9" does not exist in ${repo} at ${hub.url} — fix: set \`source.revision\` in the ladder to a branch, tag or commit of the repo`);
  });

  it('a dtype file the repo lacks names the file and suggests another --dtype; nothing half-written is left as a snapshot', async () => {
    const cache = fresh();
    const err = await error(fetchModel(hubSpec(), { dtype: 'int8', offline: false, cacheDir: cache, endpoint: hub.url }));
    expect(err!.message).toMatch(/^qwen-twin: emergence-twins\/qwen2\.5-twin has no file onnx\/model_int8\.onnx at revision "[0-9a-f]{40}" \(http:\/\/127\.0\.0\.1:\d+\) — fix: the repo has no int8 weights: choose another --dtype/);
    expect(existsSync(join(cache, 'models--emergence-twins--qwen2.5-twin', 'snapshots'))).toBe(false);
  });

  it('a repo that does not exist says so', async () => {
    const err = await error(fetchModel({ ...hubSpec(), source: { hub: 'emergence-twins/nope' } }, { dtype: 'fp32', offline: false, cacheDir: fresh(), endpoint: hub.url }));
    expect(err!.message).toMatch(/^qwen-twin: emergence-twins\/nope does not exist at http:\/\/127\.0\.0\.1:\d+ .* — fix: check `source.hub`/);
  });

  it('no network: names the endpoint and suggests HF_ENDPOINT and --offline', async () => {
    // A port nothing listens on.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await error(fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: fresh(), endpoint: `http://127.0.0.1:${port}` }));
    expect(err!.message).toMatch(new RegExp(`^qwen-twin: cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) — fix: .*HF_ENDPOINT.*--offline`));
  });

  it('offline with an empty cache fails at once, naming the cache and the download command', async () => {
    const before = hub.requests.length;
    const err = await error(fetchModel(hubSpec(), { dtype: 'fp16', offline: true, cacheDir: fresh(), endpoint: hub.url }));
    expect(err!.message).toMatch(/^qwen-twin: emergence-twins\/qwen2\.5-twin is not in the Hugging Face cache at .* with onnx\/model_fp16\.onnx, and --offline forbids downloading it — fix: run once without --offline, or `huggingface-cli download/);
    expect(hub.requests.length).toBe(before);
  });
});

describe('downloads that go wrong', () => {
  it('a file whose bytes do not match the hash the Hub gave is refused and not kept', async () => {
    const good = Buffer.from('{"model_type": "gpt2"}');
    const oid = createHash('sha1').update(`blob ${good.length}\0`).update(good).digest('hex');
    const server = createHttpServer((req, res) => {
      res.writeHead(200, { 'x-repo-commit': 'c'.repeat(40), etag: `"${oid}"`, 'content-length': String(good.length) });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from('{"model_type": "gpt3"}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cache = fresh();
    try {
      const err = await error(fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: url }));
      expect(err!.message).toMatch(/^qwen-twin: emergence-twins\/qwen2\.5-twin\/config\.json from http:\/\/127\.0\.0\.1:\d+ arrived damaged \(22 of 22 bytes, hash [0-9a-f]{12}… not [0-9a-f]{12}…\) — fix: run again to download it anew$/);
      expect(readdirSync(join(cache, 'models--emergence-twins--qwen2.5-twin', 'blobs'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('a server whose commit or ETag is not a hex hash is refused: nothing is written outside the cache', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'hf-outside-'));
    const traversal = join(outside, 'escaped').split('/').map(() => '..').join('/') + join(outside, 'escaped');
    const server = createHttpServer((req, res) => {
      res.writeHead(200, { 'x-repo-commit': traversal, etag: `"${traversal}-blob"`, 'content-length': '2' });
      res.end(req.method === 'HEAD' ? undefined : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cache = fresh();
    try {
      const err = await error(fetchModel(hubSpec(), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: url }));
      expect(err!.message).toMatch(/answered for emergence-twins\/qwen2\.5-twin\/config\.json with a commit or ETag that is not a hex hash/);
      expect(readdirSync(outside)).toEqual([]);
      expect(existsSync(join(cache, 'models--emergence-twins--qwen2.5-twin', 'snapshots'))).toBe(false);
      // A revision cannot name a path out of the cache either.
      const bad = await error(fetchModel(hubSpec('../../x'), { dtype: 'fp32', offline: false, cacheDir: cache, endpoint: hub.url }));
      expect(bad!.message).toMatch(/revision "\.\.\/\.\.\/x" is not a branch, tag or commit name/);
    } finally {
      server.close();
    }
  });

  it('two runs downloading one model at once both end with the whole snapshot', async () => {
    const cache = fresh();
    await Promise.all([1, 2].map(() => fetchModel(hubSpec(), { dtype: 'fp16', offline: false, cacheDir: cache, endpoint: hub.url })));
    const snapshot = join(cache, 'models--emergence-twins--qwen2.5-twin', 'snapshots', hub.commits[repo]!);
    expect(readFileSync(join(snapshot, 'onnx/model_fp16.onnx')).equals(readFileSync(join(TWINS_DIR, 'qwen2.5-twin/onnx/model_fp16.onnx')))).toBe(true);
    expect(readdirSync(join(cache, 'models--emergence-twins--qwen2.5-twin', 'blobs')).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
  });
});

describe('where the cache and the Hub are', () => {
  it('honours HF_HUB_CACHE, then HF_HOME, then ~/.cache; HF_ENDPOINT', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' })).toBe('/a');
    expect(hubCacheDir({ HF_HOME: '/b' })).toBe('/b/hub');
    expect(hubCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/huggingface/hub');
    expect(hubEndpoint({})).toBe('https://huggingface.co');
    expect(hubEndpoint({ HF_ENDPOINT: 'https://hf-mirror.com/' })).toBe('https://hf-mirror.com');
  });
});
