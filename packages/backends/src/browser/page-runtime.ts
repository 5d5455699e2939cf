// transformers.js set-up shared by every page that runs models (the CLI's
// headless runner page and the `pnpm web` app): onnxruntime-web's wasm from
// the page's own server, an explicit thread count, and what the WebGPU adapter is.
type Transformers = typeof import('@huggingface/transformers');

/**
 * onnxruntime-web threads for a machine with `cores` cores: all of them up to
 * four. Its own default is half the cores; on two cores using both took the
 * CLI's browser run of the icl suite from 113 s to 84 s, same numbers to the
 * sixth decimal.
 */
export function wasmThreads(cores: number): number {
  return Math.max(1, Math.min(4, cores || 1));
}

/** Point onnxruntime-web at `/ort/` on this origin (never a CDN) and fix its thread count. */
export function configureOnnxWeb(tjs: Transformers, threads: number): void {
  const onnx = tjs.env.backends.onnx as { wasm?: { wasmPaths?: string; numThreads?: number } };
  onnx.wasm!.wasmPaths = `${location.origin}/ort/`;
  onnx.wasm!.numThreads = threads;
  // Models come from the page's server; the Cache API would only hide a stale copy.
  tjs.env.useBrowserCache = false;
}

/** `Chrome/131.0.6778.85`-style name of this browser. */
export function browserName(): string {
  return navigator.userAgent.match(/(Chrom(e|ium)|Firefox|Version)\/[\d.]+/)?.[0] ?? navigator.userAgent;
}

interface GpuAdapter {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
  features: Set<string>;
}

/** The WebGPU adapter, for the result's runtime record; `webgpuFallback: 'true'` means a software adapter. */
export async function webgpuAdapterInfo(): Promise<Record<string, string>> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } }).gpu;
  if (!gpu) return { webgpu: 'unavailable' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { webgpu: 'no adapter' };
  const info = adapter.info ?? {};
  const fallback = adapter.isFallbackAdapter === true || /swiftshader/i.test(`${String(info.vendor)} ${String(info.architecture)} ${String(info.description)}`);
  return {
    webgpuAdapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown',
    webgpuFallback: String(fallback),
    webgpuFp16: String(adapter.features.has('shader-f16')),
  };
}
