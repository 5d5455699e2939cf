// `pnpm perf:web`: the page's own pipeline, timed, in headless Chromium. It
// serves the page, opens it with the chosen suite, ladder and device, clicks
// Run with an empty browser store, and prints the wall time and where the
// downloaded result went, so page and CLI speeds can be compared.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '@emergence/backends';
import { startWebServer } from '../src/server.js';

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'icl' },
    ladder: { type: 'string', default: 'tiny' },
    device: { type: 'string', default: 'wasm' },
    n: { type: 'string' },
    out: { type: 'string', default: 'runs/web' },
  },
});

const server = await startWebServer({});
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: chromiumArgs('webgpu'),
});
try {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const query = new URLSearchParams({ suite: values.suite, ladder: values.ladder, device: values.device, ...(values.n ? { n: values.n } : {}) });
  await page.goto(`${server.url}/?${query}`);
  await page.waitForSelector('body[data-state=ready]');
  const t0 = performance.now();
  await page.click('#run');
  await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 3_600_000 });
  const seconds = (performance.now() - t0) / 1000;
  console.log(await page.textContent('#status'));
  if ((await page.getAttribute('body', 'data-state')) === 'done') {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const dir = resolve(values.out);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    console.log(`${values.suite} on ${values.ladder}, ${values.device} in Chromium: ${seconds.toFixed(1)} s wall; result ${file}`);
  } else process.exitCode = 3;
} finally {
  await browser.close();
  await server.close();
}
