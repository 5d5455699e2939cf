// The Backend in headless Chromium: the CLI's side. It starts the loopback
// server, launches Debian's Chromium through playwright-core (never a
// downloaded browser) and runs batches in the page, with a timeout per call.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import type { Backend, BackendDescription, ModelSpec } from '@emergence/core';
import type { BackendFactory, NodeBackendOptions } from '../backend-factory.js';
import { cpuBackend } from '../cpu-backend.js';
import { checkAgainst } from '../guard.js';
import { ModelError } from '../model-error.js';
import { resolveModel } from '../model-source.js';
import { ProxyBackend } from '../proxy-backend.js';
import { decodeError, unwrap, type LoadReply, type RemoteArgs, type RemoteMethod, type RemoteReply, type RemoteRequest, type RemoteResult } from '../remote.js';
import type { PageApi, PageLoadArgs } from './page.js';
import { wasmThreads } from './page-runtime.js';
import { startRunnerServer, type RunnerServer } from './server.js';

export interface BrowserBackendOptions {
  device: 'wasm' | 'webgpu';
  dtype: string;
  offline: boolean;
  ladderFile?: string;
  cacheDir?: string;
  batchSize?: number;
  /** onnxruntime-web threads (needs the COOP/COEP headers the server sends). */
  threads?: number;
  /** Milliseconds one batch may take before the model is given up (a hung page). */
  timeoutMs?: number;
  /** Milliseconds loading the model in the page may take. */
  loadTimeoutMs?: number;
}

export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Flags that keep Chromium off the network this machine cannot reach, and enable WebGPU when asked. */
export function chromiumArgs(device: 'wasm' | 'webgpu'): string[] {
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage'];
  if (device === 'webgpu') args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader');
  return args;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

export class BrowserBackend extends ProxyBackend {
  private crashed: Error | null = null;
  private next = 0;

  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly server: RunnerServer,
    private readonly description: BackendDescription,
    private readonly timeoutMs: number,
  ) {
    super();
    page.on('crash', () => (this.crashed = new Error('the browser page crashed')));
  }

  static async load(spec: ModelSpec, options: BrowserBackendOptions): Promise<BrowserBackend> {
    const executablePath = chromiumPath();
    if (!existsSync(executablePath)) {
      throw new ModelError(spec.id, `Chromium not found at ${executablePath}`, `install it with \`${CHROMIUM_INSTALL}\` or set CHROMIUM_PATH`);
    }
    const where = resolveModel(spec, options.ladderFile, options);
    if (!where.folder) throw new ModelError(spec.id, 'the browser runtime serves models from local folders only', 'run once on cpu (without --offline) to fill the Hugging Face cache');
    const server = await startRunnerServer();
    server.addModel(spec.id, where.folder);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs(options.device) });
    const timeoutMs = options.timeoutMs ?? 300_000;
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      if (process.env.BENCH_DEBUG_SERVER) page.on('console', (m) => console.error('[page]', m.text()));
      await page.goto(server.url);
      await page.waitForFunction(() => 'bench' in globalThis, null, { timeout: 60_000 });
      const args: PageLoadArgs = { spec, device: options.device, dtype: options.dtype, threads: options.threads ?? wasmThreads(availableParallelism()), batchSize: options.batchSize };
      const description = await withTimeout(
        // The function runs in the page, where page.ts set `bench`.
        page.evaluate((a): Promise<LoadReply> => (globalThis as unknown as { bench: PageApi }).bench.load(a), args).then((reply) => (reply.ok ? reply.description : Promise.reject(decodeError(reply.error)))),
        options.loadTimeoutMs ?? 300_000,
        `loading ${spec.id} in the browser`,
      ).catch((err: Error) => {
        // A ModelError from the page keeps its own fix (out of memory: a smaller dtype); anything else gets the browser's.
        if (err instanceof ModelError) throw err;
        throw new ModelError(spec.id, `the browser could not load the model (${err.message.split('\n')[0]}${errors.length ? `; ${errors[0]}` : ''})`, 're-export the model folder, or try --device wasm');
      });
      return new BrowserBackend(browser, page, server, { ...description, device: options.device, runtime: { ...description.runtime, runtime: 'browser' } }, timeoutMs);
    } catch (err) {
      await browser.close();
      await server.close();
      throw err;
    }
  }

  protected async call<M extends RemoteMethod>(method: M, args: RemoteArgs<M>): Promise<RemoteResult<M>> {
    if (this.crashed) throw this.crashed;
    const request: RemoteRequest<M> = { id: this.next++, method, args };
    // The page answers a request with the result of that request's method (remote.ts `answer`).
    const reply = await withTimeout(this.page.evaluate((r): Promise<RemoteReply> => (globalThis as unknown as { bench: PageApi }).bench.call(r), request as RemoteRequest), this.timeoutMs, `a ${method} batch in the browser`);
    return unwrap(reply as RemoteReply<RemoteResult<M>>);
  }

  describe(): BackendDescription {
    return this.description;
  }

  async dispose(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.close();
  }
}

/** The browser backend's start-up comparison with onnxruntime-node on the same model and dtype. */
export async function checkAgainstCpu(backend: Backend, spec: ModelSpec, options: NodeBackendOptions): Promise<void> {
  const cpu = await cpuBackend.create(spec, { ...options, device: 'cpu', host: 'node' });
  try {
    await checkAgainst(cpu, backend, {
      spec,
      dtype: options.dtype,
      device: `${options.device} in the browser`,
      reference: 'cpu',
      fix: 'use --device cpu or another dtype, or pass --allow-mismatch to run anyway',
    });
  } finally {
    await cpu.dispose();
  }
}

/** webgpu, and wasm with host `browser`: headless Chromium, compared with cpu on a few log-likelihoods first unless told not to. */
export const browserBackend: BackendFactory = {
  id: 'browser',
  accepts: (_spec, options) => options.device === 'webgpu' || (options.device === 'wasm' && options.host === 'browser'),
  async create(spec, options) {
    const browser = await BrowserBackend.load(spec, { ...options, device: options.device === 'webgpu' ? 'webgpu' : 'wasm' });
    if (!options.allowMismatch) {
      try {
        await checkAgainstCpu(browser, spec, options);
      } catch (err) {
        await browser.dispose();
        throw err;
      }
    }
    return browser;
  },
};
