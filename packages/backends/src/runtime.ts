// Versions of what computes the numbers, recorded in every result.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function versionOf(pkg: string, from?: string): string {
  try {
    const req = from ? createRequire(from) : require;
    const main = req.resolve(pkg);
    let dir = dirname(main);
    for (let i = 0; i < 6; i++) {
      try {
        const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (meta.name === pkg && meta.version) return meta.version;
      } catch {
        // keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

/** Path of transformers.js's entry, to resolve the onnxruntime packages it pins. */
export function transformersEntry(): string {
  return require.resolve('@huggingface/transformers');
}

export function runtimeVersions(device: string): Record<string, string> {
  const tjs = transformersEntry();
  const ort = device === 'cpu' ? 'onnxruntime-node' : 'onnxruntime-web';
  return {
    node: process.versions.node,
    transformers: versionOf('@huggingface/transformers'),
    [ort]: versionOf(ort, tjs),
  };
}
