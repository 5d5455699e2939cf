// Prints the markdown tables of the tiny ladder's model card: sizes and
// training from each rung's training.json, training curves and the seed
// spread from packages/ladder-tiny/curves/ (train.py's probe scores, copied
// there by train-ladder.sh), and the harness's scores by rung from the
// committed results/<suite>/tiny.yaml files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadYaml } from '@emergence/core';

const root = resolve(import.meta.dirname, '../..');
const modelsDir = join(root, 'packages/ladder-tiny/models');
const curvesDir = join(root, 'packages/ladder-tiny/curves');

interface Card {
  id: string;
  layers: number;
  width: number;
  heads: number;
  params: number;
  nonEmbeddingParams: number;
  tokens: number;
  trainingFlops: number;
  finalLoss: number;
  bitsPerByte: number;
  wallSeconds: number;
  steps: number[];
}
interface Probe {
  exact: number;
  chars: number;
}
interface CurvePoint {
  step: number;
  loss: number;
  wall: number;
  probes: Record<string, Probe>;
}

const cards = readdirSync(modelsDir)
  .map((d) => JSON.parse(readFileSync(join(modelsDir, d, 'training.json'), 'utf8')) as Card)
  .sort((a, b) => a.nonEmbeddingParams - b.nonEmbeddingParams);
const curve = (id: string, seed: number): CurvePoint[] => {
  const file = join(curvesDir, `${id}-s${seed}.jsonl`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CurvePoint) : [];
};
const fmt = (v: number) => v.toFixed(2);
const int = (v: number) => v.toLocaleString('en');

const out: string[] = [];
out.push('| rung | layers | width | heads | params | non-embedding | tokens | training FLOPs (6·N·D) | final loss (nats/byte) | bits/byte | wall time (one thread) |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of cards) {
  out.push(
    `| ${c.id} | ${c.layers} | ${c.width} | ${c.heads} | ${int(c.params)} | ${int(c.nonEmbeddingParams)} | ${int(c.tokens)} | ${c.trainingFlops.toExponential(2)} | ${c.finalLoss} | ${c.bitsPerByte} | ${(c.wallSeconds / 60).toFixed(1)} min |`,
  );
}
const total = cards.reduce((s, c) => s + c.wallSeconds, 0);
out.push('', `Total: ${(total / 60).toFixed(1)} CPU-thread minutes for the shipped rungs (two rungs train at once on two cores).`, '');

// Training curves: the copying transition against optimizer steps.
const marks = [500, 1000, 1500, 2000, 3000, 4000, 5000, 6000];
out.push('**Copying (spaced, lengths 4–16, random offsets) during training** — exact match / character accuracy on 64 held-out items, and training loss:', '');
out.push(`| rung | ${marks.map((m) => `step ${int(m)}`).join(' | ')} |`);
out.push(`|---|${marks.map(() => '---').join('|')}|`);
for (const c of cards) {
  const pts = curve(c.id, 0);
  const cells = marks.map((m) => {
    const p = pts.find((x) => x.step === m);
    const copy = p?.probes['copy-spaced'];
    return p && copy ? `${fmt(copy.exact)} / ${fmt(copy.chars)} (${p.loss.toFixed(2)})` : '—';
  });
  out.push(`| ${c.id} | ${cells.join(' | ')} |`);
}
out.push('');
out.push('**Other probes at the end of training** (exact match / character accuracy):', '');
const sets = ['copy-spaced', 'copy-unspaced', 'add-1', 'add-3', 'add-5'];
out.push(`| rung | seed | ${sets.join(' | ')} |`);
out.push(`|---|---|${sets.map(() => '---').join('|')}|`);
for (const c of cards) {
  for (const seed of [0, 1]) {
    const pts = curve(c.id, seed);
    const last = pts[pts.length - 1];
    if (!last) continue;
    out.push(`| ${c.id} | ${seed} | ${sets.map((s) => (last.probes[s] ? `${fmt(last.probes[s].exact)} / ${fmt(last.probes[s].chars)}` : '—')).join(' | ')} |`);
  }
}
out.push('');

for (const suite of ['icl', 'arithmetic', 'bbh', 'instruct', 'all']) {
  const file = join(root, 'results', suite, 'tiny.yaml');
  if (!existsSync(file)) continue;
  const r = loadYaml(file, 'result');
  out.push(`**${suite}** (seed ${r.suite.seed}; discrete metric, headline shot count)`, '');
  out.push(`| task | ${r.ladder.models.map((m) => m.id).join(' | ')} | verdict |`);
  out.push(`|---|${r.ladder.models.map(() => '---').join('|')}|---|`);
  for (const t of r.tasks) {
    const cells = r.ladder.models.map((m) => {
      const v = t.models.find((x) => x.model === m.id)?.metrics[t.discrete];
      return v ? `${fmt(v.value)} [${fmt(v.low)}, ${fmt(v.high)}]` : '—';
    });
    out.push(`| ${t.id} (${t.discrete}, n=${t.models[0]?.n ?? 0}) | ${cells.join(' | ')} | ${t.analysis.verdict} |`);
  }
  out.push('');
}
console.log(out.join('\n'));
