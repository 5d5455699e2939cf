// Prints the markdown tables of the tiny ladder's model card: sizes and
// training from each rung's training.json, and the harness's scores by rung
// from the committed results/<suite>/tiny.yaml files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadYaml, type Result } from '@emergence/core';

const root = resolve(import.meta.dirname, '../..');
const modelsDir = join(root, 'packages/ladder-tiny/models');
const cards = readdirSync(modelsDir)
  .map((d) => JSON.parse(readFileSync(join(modelsDir, d, 'training.json'), 'utf8')) as Record<string, number | string>)
  .sort((a, b) => Number(a.params) - Number(b.params));

const out: string[] = [];
out.push('| rung | layers | width | heads | params | non-embedding | tokens | training FLOPs (6·N·D) | final loss (nats/byte) | bits/byte | wall time | tokens/s |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of cards) {
  out.push(
    `| ${c.id} | ${c.layers} | ${c.width} | ${c.heads} | ${Number(c.params).toLocaleString('en')} | ${Number(c.nonEmbeddingParams).toLocaleString('en')} | ${Number(c.tokens).toLocaleString('en')} | ${Number(c.trainingFlops).toExponential(2)} | ${c.finalLoss} | ${c.bitsPerByte} | ${(Number(c.wallSeconds) / 60).toFixed(1)} min | ${Number(c.tokensPerSecond).toLocaleString('en')} |`,
  );
}
const total = cards.reduce((s, c) => s + Number(c.wallSeconds), 0);
out.push('', `Total training time: ${(total / 60).toFixed(1)} minutes on two cores.`, '');

for (const suite of ['icl', 'arithmetic', 'bbh', 'instruct', 'all']) {
  const file = join(root, 'results', suite, 'tiny.yaml');
  if (!existsSync(file)) continue;
  const r = loadYaml<Result>(file, 'result');
  out.push(`**${suite}** (seed ${r.suite.seed}; discrete metric, headline shot count)`, '');
  out.push(`| task | ${r.ladder.models.map((m) => m.id).join(' | ')} | verdict |`);
  out.push(`|---|${r.ladder.models.map(() => '---').join('|')}|---|`);
  for (const t of r.tasks) {
    const cells = r.ladder.models.map((m) => {
      const v = t.models.find((x) => x.model === m.id)?.metrics[t.discrete];
      return v ? `${v.value.toFixed(2)} [${v.low.toFixed(2)}, ${v.high.toFixed(2)}]` : '—';
    });
    out.push(`| ${t.id} (${t.discrete}, n=${t.models[0]?.n ?? 0}) | ${cells.join(' | ')} | ${t.analysis.verdict} |`);
  }
  out.push('');
}
console.log(out.join('\n'));
