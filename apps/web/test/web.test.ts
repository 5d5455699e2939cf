// End to end: `pnpm web`'s server and page in Debian's Chromium, on the tiny
// ladder. The downloaded YAML must be what `bench report` and `bench compare`
// accept, and its fp32 numbers must match the Node cpu backend's.
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseValidated, type Result } from '@emergence/core';
import { chromiumArgs, chromiumPath } from '@emergence/backends';
import { buildManifest, startWebServer, type WebServer } from '../src/server.js';

const root = resolve(import.meta.dirname, '../../..');
const fixtures = resolve(import.meta.dirname, '__fixtures__');
const bin = join(root, 'apps/cli/bin/bench.js');

function bench(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every metric value of every model × task, keyed, for comparing two results. */
function metricValues(result: Result): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of result.tasks) {
    for (const m of t.models) {
      for (const [name, iv] of Object.entries(m.metrics)) out.set(`${t.id} ${m.model} ${name}`, iv!.value);
    }
  }
  return out;
}

/** Run what the page is set to, wait for it, and save the downloaded result. */
async function runAndDownload(page: Page, dir: string): Promise<{ file: string; text: string }> {
  await page.click('#run');
  await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 280_000 });
  expect(await page.getAttribute('body', 'data-state'), await page.textContent('#status') ?? '').toBe('done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { file, text: readFileSync(file, 'utf8') };
}

describe('the page server', () => {
  it('lists what the page can run, and why not the rest', () => {
    process.env.HF_HUB_CACHE = mkdtempSync(join(tmpdir(), 'eb-hf-'));
    const manifest = buildManifest({ suitesDir: join(fixtures, 'suites'), laddersDir: join(fixtures, 'ladders') });
    expect(manifest.suites.find((s) => s.name === 'smoke')?.unavailable).toBeNull();
    expect(manifest.results).toContain('icl/tiny.yaml');
    expect(manifest.suites.find((s) => s.name === 'imports')?.unavailable).toMatch(/imports task files .*`pnpm bench`/);
    const broken = manifest.ladders.find((l) => l.file === 'broken.yaml')!;
    expect(broken.error).toMatch(/broken\.yaml:\d+ at \/models\/0\/params: expected integer/);
    const hub = manifest.ladders.find((l) => l.name === 'hub')!;
    expect(hub.models[0]!.dtypes.fp32!.detail).toMatch(/Xenova\/pythia-14m is not in the Hugging Face cache .* this machine only/);
    expect(hub.models[0]!.dtypes.fp32!.fix).toContain('pnpm bench --suite icl --ladder hub --dtype fp32');
    expect(manifest.ladders.find((l) => l.name === 'tiny12')!.models.map((m) => m.dtypes)).toEqual([
      { fp32: null, q8: null },
      { fp32: null, q8: null },
    ]);
  });

  it('binds to loopback and refuses paths outside what it serves', async () => {
    const server = await startWebServer({ suitesDir: join(fixtures, 'suites'), laddersDir: join(fixtures, 'ladders') });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await fetch(`${server.url}/models/tiny12/tiny-1/config.json`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      for (const path of ['/models/tiny12/tiny-1/..%2F..%2F..%2Fpackage.json', '/suites/..%2F..%2Fweb.test.ts', '/models/hub/pythia-14m/config.json']) {
        expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
      }
      // DNS rebinding: a foreign name for this address is refused.
      const status = await new Promise<number>((ok, fail) =>
        get({ host: '127.0.0.1', port: Number(new URL(server.url).port), path: '/manifest.json', headers: { host: 'attacker.example' } }, (res) => ok(res.statusCode!)).on('error', fail),
      );
      expect(status).toBe(403);
      expect((await fetch(`${server.url.replace('127.0.0.1', 'localhost')}/manifest.json`)).status).toBe(200);
      const busy = await startWebServer({ port: Number(new URL(server.url).port) }).catch((e: Error) => e);
      expect((busy as Error).message).toMatch(/already in use/);
    } finally {
      await server.close();
    }
  });
});

describe('the page in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'eb-web-'));

  beforeAll(async () => {
    server = await startWebServer({ laddersDir: join(root, 'benchmarks/ladders'), suitesDir: join(root, 'benchmarks/suites') });
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: chromiumArgs('webgpu'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs icl on the tiny ladder (wasm); bench report and compare accept the download; fp32 matches cpu within 1e-3; a rerun resumes', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/?suite=icl&ladder=tiny&device=wasm&n=2`);
    await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    const first = await runAndDownload(page, dir);
    expect(errors).toEqual([]);
    expect(first.file.endsWith('tiny.wasm-browser.yaml')).toBe(true);
    const result = parseValidated(first.text, first.file, 'result');
    expect(result.environment.device).toBe('wasm-browser');
    expect(result.environment.runtime.browser).toMatch(/Chrom/);
    expect(result.ladder.models.map((m) => m.status)).toEqual(Array(7).fill('ok'));
    // The page draws the scale plots as SVG charts (the renderer of `bench report --format svg`): one per task,
    // a point and a 95% interval per rung, the chance line; and the summary table with every model.
    const charts = await page.$$eval('#report svg.scale-plot', (svgs) =>
      svgs.map((svg) => ({ task: svg.getAttribute('data-task'), points: svg.querySelectorAll('circle.point').length, intervals: svg.querySelectorAll('path.interval').length, chance: svg.querySelectorAll('line.chance').length })),
    );
    expect(charts.map((c) => c.task)).toEqual(result.tasks.map((t) => t.id));
    for (const c of charts) expect(c, c.task ?? '').toMatchObject({ points: 7, intervals: 7, chance: 1 });
    expect(await page.$$eval('#report pre', (pres) => pres.length)).toBe(0);
    const pointTitle = await page.textContent('#report svg circle.point:last-of-type title');
    expect(pointTitle).toMatch(/^tiny-7: \w+ [\d.]+ \(95% CI [\d.]+–[\d.]+\)/);
    const summaryRows = await page.$$eval('#summary table.summary tbody tr', (rows) => rows.map((r) => r.querySelectorAll('td.num').length));
    expect(summaryRows).toEqual(result.tasks.map(() => 7));
    // …and compares itself with the committed cpu result, as CI does, as a table rather than markdown.
    expect(await page.textContent('#comparison-title')).toContain('results/icl/tiny.yaml');
    // n = 2 against the committed n = 100: compare says its differences include sampling noise.
    const comparisonText = (await page.textContent('#comparison'))!;
    expect(comparisonText).toMatch(/n differ .* sampling noise/);
    expect(comparisonText).not.toContain('|---|');
    expect(await page.$$eval('#comparison table.comparison tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    // The HTML report the page offers is the self-contained file `bench report --format html` writes.
    const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-html')]);
    const htmlFile = join(dir, htmlDownload.suggestedFilename());
    await htmlDownload.saveAs(htmlFile);
    const html = readFileSync(htmlFile, 'utf8');
    expect(htmlFile.endsWith('tiny.wasm-browser.html')).toBe(true);
    expect((html.match(/<svg /g) ?? []).length).toBe(result.tasks.length);
    expect(html).toContain('<table class="comparison">');
    expect(html.match(/\s(?:src|href)="(?!#)[^"]*"/g)).toBeNull();

    // The CLI reads what the page wrote, and finds it equal to a cpu run within noise.
    const report = bench(['report', first.file], dir);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('icl/induction');
    const cpuFile = join(dir, 'cpu.yaml');
    const cpu = bench(['--suite', 'icl', '--n', '2', '--out', cpuFile], dir);
    expect(cpu.code, cpu.stderr).toBe(0);
    const compared = bench(['compare', cpuFile, first.file], dir);
    expect(compared.code, compared.stdout + compared.stderr).toBe(0);
    const a = metricValues(parseValidated(readFileSync(cpuFile, 'utf8'), cpuFile, 'result'));
    const b = metricValues(result);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [key, value] of a) expect(Math.abs(value - b.get(key)!), key).toBeLessThanOrEqual(1e-3);

    // Reload and run again: every sample comes from this browser's store, and the result is the same.
    await page.reload();
    await page.waitForSelector('body[data-state=ready]');
    expect(await page.textContent('#status')).toMatch(/[1-9]\d* sample\(s\) saved/);
    mkdirSync(join(dir, 'again'));
    const second = await runAndDownload(page, join(dir, 'again'));
    expect(await page.textContent('#status')).toMatch(/: 0 sample\(s\) computed, [1-9]\d* reused from this browser/);
    const strip = (t: string) => t.replace(/^createdAt: .*$/m, '');
    expect(strip(second.text)).toBe(strip(first.text));
    await context.close();
  });

  it('inference runs in a worker: a 1 s timer keeps ticking during a model, Stop reacts within 200 ms and keeps what was scored; Forget empties the store', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/?suite=icl&ladder=tiny&device=wasm&n=8`);
      await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
      expect(await page.isDisabled('#stop')).toBe(true);
      // Timers on the page's thread: a 1 s one (the visible clock) and a 50 ms one (how long the thread is ever blocked).
      await page.evaluate(() => {
        const w = window as unknown as { ticks: number[]; fine: number[] };
        w.ticks = [];
        w.fine = [];
        setInterval(() => w.ticks.push(performance.now()), 1000);
        setInterval(() => w.fine.push(performance.now()), 50);
      });
      const started = await page.evaluate(() => performance.now());
      await page.click('#run');
      // Models run: the first finishes, and the page keeps answering while the next ones compute.
      await page.waitForFunction(() => document.getElementById('progress')?.textContent?.includes('✓ tiny-2'), null, { timeout: 120_000 });
      await page.waitForTimeout(1500);
      const timing = await page.evaluate((t0) => {
        const w = window as unknown as { ticks: number[]; fine: number[] };
        const gaps = (xs: number[]) => xs.filter((x) => x > t0).map((x, i, a) => (i ? x - a[i - 1]! : 0));
        return { ticks: w.ticks.filter((x) => x > t0).length, elapsed: performance.now() - t0, maxTick: Math.max(...gaps(w.ticks)), maxFine: Math.max(...gaps(w.fine)) };
      }, started);
      console.log(`page thread during the run: ${timing.ticks} ticks of the 1 s timer in ${(timing.elapsed / 1000).toFixed(1)} s; longest gap ${timing.maxTick.toFixed(0)} ms (1 s timer), ${timing.maxFine.toFixed(0)} ms (50 ms timer)`);
      expect(timing.ticks).toBeGreaterThanOrEqual(Math.floor(timing.elapsed / 1000) - 1);
      expect(timing.maxTick).toBeLessThan(1300);
      // The page's thread is never blocked for long (it was 2.8 s with inference on it); loose enough for a loaded CI machine.
      expect(timing.maxFine).toBeLessThan(500);
      expect(await page.getAttribute('body', 'data-state')).toBe('running');
      // Stop, timed in the page from the click to the ready state.
      const stopMs = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const t0 = performance.now();
            new MutationObserver(() => {
              if (document.body.dataset.state !== 'running') resolve(performance.now() - t0);
            }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
            document.getElementById('stop')!.click();
          }),
      );
      console.log(`Stop → ready in ${stopMs.toFixed(0)} ms`);
      expect(stopMs).toBeLessThan(200);
      expect(await page.getAttribute('body', 'data-state')).toBe('ready');
      await page.waitForFunction(() => /sample\(s\) saved/.test(document.getElementById('status')?.textContent ?? ''));
      const stopped = (await page.textContent('#status'))!;
      const saved = Number(/Stopped\. (\d+) sample\(s\) saved/.exec(stopped)?.[1]);
      expect(saved, stopped).toBeGreaterThan(0);
      expect(await page.isHidden('#result')).toBe(true);
      await page.click('#forget');
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('forgotten'));
      expect(await page.textContent('#status')).toMatch(/ 0 sample\(s\) saved/);
    } finally {
      await context.close();
    }
  });

  it('a model whose files are missing fails with its fix, and the run still ends with a result', async () => {
    process.env.HF_HUB_CACHE = mkdtempSync(join(tmpdir(), 'eb-hf-'));
    const local = await startWebServer({ suitesDir: join(fixtures, 'suites'), laddersDir: join(fixtures, 'ladders') });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${local.url}/?suite=smoke&ladder=hub&device=wasm`);
      await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
      expect(await page.textContent('#notes')).toContain('pythia-14m fp32: Xenova/pythia-14m is not in the Hugging Face cache');
      await page.click('#run');
      await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 60_000 });
      expect(await page.textContent('#status')).toMatch(/1 model\(s\) failed:/);
      expect(await page.textContent('#failures')).toMatch(/pythia-14m: Xenova\/pythia-14m is not in the Hugging Face cache .* fix: download it once with `pnpm bench --suite icl --ladder hub --dtype fp32`/);
      expect(await page.textContent('#report')).toContain('insufficient-data');
      expect(await page.textContent('#notes')).not.toContain('WebGPU is');
    } finally {
      await context.close();
      await local.close();
    }
  });

  it('a ladder that reuses models of another (from: tiny12#tiny-1) runs in the page, renamed models included', async () => {
    const local = await startWebServer({ suitesDir: join(fixtures, 'suites'), laddersDir: join(fixtures, 'ladders') });
    const context = await browser.newContext({ acceptDownloads: true });
    try {
      expect(local.manifest.ladders.find((l) => l.name === 'reuse')?.models).toEqual([
        { id: 'smallest', dtypes: { fp32: null, q8: null } },
        { id: 'tiny-2', dtypes: { fp32: null, q8: null } },
      ]);
      const page = await context.newPage();
      await page.goto(`${local.url}/?suite=smoke&ladder=reuse&device=wasm`);
      await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
      const { file, text } = await runAndDownload(page, dir);
      const result = parseValidated(text, file, 'result');
      expect(result.ladder.models.map((m) => [m.id, m.status, m.params])).toEqual([
        ['smallest', 'ok', 53760],
        ['tiny-2', 'ok', 182080],
      ]);
    } finally {
      await context.close();
      await local.close();
    }
  });

  it('webgpu smoke: the guard compares with wasm in the page, and scores match cpu within 1e-3', async () => {
    const local = await startWebServer({ suitesDir: join(fixtures, 'suites'), laddersDir: join(fixtures, 'ladders') });
    const context = await browser.newContext({ acceptDownloads: true });
    try {
      const page = await context.newPage();
      await page.goto(`${local.url}/?suite=smoke&ladder=tiny12&device=webgpu`);
      await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
      expect(await page.textContent('#notes')).toMatch(/software fallback/);
      // The page picks wasm on a fallback adapter; this test wants WebGPU itself.
      expect(await page.inputValue('#device')).toBe('webgpu');
      const { file, text } = await runAndDownload(page, dir);
      const result = parseValidated(text, file, 'result');
      expect(result.environment.device).toBe('webgpu');
      expect(result.environment.runtime.webgpuFallback).toBe('true');
      expect(result.environment.runtime.webgpuAdapter).toMatch(/google|swiftshader/i);
      expect(result.ladder.models.map((m) => m.status)).toEqual(['ok', 'ok']);
      const cpuFile = join(dir, 'smoke-cpu.yaml');
      const cpu = bench(['--suite', join(fixtures, 'suites/smoke.yaml'), '--ladder', join(fixtures, 'ladders/tiny12.yaml'), '--out', cpuFile], dir);
      expect(cpu.code, cpu.stderr).toBe(0);
      const a = metricValues(parseValidated(readFileSync(cpuFile, 'utf8'), cpuFile, 'result'));
      const b = metricValues(result);
      for (const [key, value] of a) expect(Math.abs(value - b.get(key)!), key).toBeLessThanOrEqual(1e-3);
    } finally {
      await context.close();
      await local.close();
    }
  });
});
