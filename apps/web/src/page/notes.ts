// What the page says about a ladder before a run: one line per kind of
// problem, not one per model × dtype (a Hub ladder missing from the cache
// had 35 near-identical lines).
import type { ManifestLadder } from '../manifest.js';

/** The adapter line, in words a person can act on (null when WebGPU is usable). */
export function gpuNote(adapter: Record<string, string>): string | null {
  if (adapter.webgpu === 'unavailable') return 'This browser has no WebGPU (navigator.gpu is missing), so the page runs on WASM.';
  if (adapter.webgpu) return 'WebGPU found no graphics adapter in this browser, so the page runs on WASM.';
  if (adapter.webgpuFallback === 'true') return `The WebGPU adapter here is a software fallback (${adapter.webgpuAdapter}): correct, but far slower than WASM, so WASM is preselected.`;
  return null;
}

/**
 * Problems with a ladder's files, grouped: models whose problem reads the same
 * once the model's own name and dtype are taken out share one line that lists
 * them with their dtypes and gives the fix once.
 */
export function ladderNotes(ladder: ManifestLadder): string[] {
  const groups = new Map<string, { detail: string; fix: string; models: Map<string, string[]> }>();
  for (const m of ladder.models) {
    for (const [dtype, problem] of Object.entries(m.dtypes)) {
      if (!problem) continue;
      const general = (text: string) => text.replaceAll(`--dtype ${dtype}`, '--dtype <dtype>').replace(/^\S+ /, '');
      const key = `${general(problem.detail)}\n${general(problem.fix)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { detail: problem.detail, fix: problem.fix.replaceAll(`--dtype ${dtype}`, '--dtype <dtype>'), models: new Map() }));
      g.models.set(m.id, [...(g.models.get(m.id) ?? []), dtype]);
    }
  }
  return [...groups.values()].map((g) => {
    const which = [...g.models].map(([id, dtypes]) => `${id} ${dtypes.join(', ')}`).join('; ');
    const single = g.models.size === 1 && [...g.models.values()][0]!.length === 1;
    if (single) return `${which}: ${g.detail} — fix: ${g.fix.replace('--dtype <dtype>', `--dtype ${[...g.models.values()][0]![0]}`)}`;
    const count = [...g.models.values()].reduce((a, d) => a + d.length, 0);
    return `${count} model files cannot be served (${which}): each ${g.detail.replace(/^\S+ /, '')} — fix: ${g.fix}`;
  });
}
