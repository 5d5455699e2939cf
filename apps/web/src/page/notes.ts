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
      if (!g) {
        g = { detail: problem.detail, fix: problem.fix.replaceAll(`--dtype ${dtype}`, '--dtype <dtype>'), models: new Map() };
        groups.set(key, g);
      }
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

/**
 * Failed models, one line per kind of failure: messages that read the same
 * once each model's id (and the Hub id after it) is taken out are one line
 * naming the models, with the first message in full.
 */
export function failureNotes(failed: { id: string; error?: string }[]): string[] {
  const groups = new Map<string, { ids: string[]; first: string }>();
  for (const m of failed) {
    const text = m.error ?? `${m.id} failed`;
    // The message names its model first (`id: …`), then often the model's own source (`Org/repo is …`).
    const key = text.startsWith(`${m.id}: `) ? text.slice(m.id.length + 2).replace(/^\S+\//, '<source>/').replace(/^<source>\/\S+ /, '<source> ') : text;
    const g = groups.get(key);
    if (g) g.ids.push(m.id);
    else groups.set(key, { ids: [m.id], first: text });
  }
  return [...groups.values()].map((g) => (g.ids.length === 1 ? g.first : `${g.ids.length} models failed the same way (${g.ids.join(', ')}); the first: ${g.first}`));
}
