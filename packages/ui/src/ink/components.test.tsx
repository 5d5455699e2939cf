import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { result } from '../__fixtures__/result.js';
import { initialProgress, reduceProgress } from '../progress.js';
import { composeReport, renderReport } from '../report.js';
import { ReportView, RunView, ScalePlot, SummaryTable } from './components.js';

describe('Ink components', () => {
  it('ScalePlot shows the title, axis, chance line, threshold and reason', () => {
    const { lastFrame } = render(<ScalePlot result={result} taskId="toy/jump" width={60} />);
    const frame = lastFrame()!;
    expect(frame).toContain('toy/jump — emergent');
    expect(frame).toContain('1.00┤');
    expect(frame).toContain('chance 0.50');
    expect(frame).toContain('▲');
    expect(frame).toContain('threshold between 100K and 1M; midpoint 320K (95% CI 160K–open)');
    expect(frame).toContain('95% of the accuracy rise happens at b → c.');
  });

  it('SummaryTable lists every task with its verdict', () => {
    const { lastFrame } = render(<SummaryTable result={result} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/^task \(toy\/…\)\s+10K\s+100K\s+1M\s+verdict/);
    expect(lines[1]).toMatch(/a\s+b\s+c/);
    expect(lines.find((l) => l.startsWith('flat'))).toMatch(/0\.00\s+0\.00\s+0\.02 flat/);
  });

  it('ReportView draws every task then the table', () => {
    const frame = render(<ReportView result={result} width={80} />).lastFrame()!;
    expect(frame.indexOf('toy/jump — emergent')).toBeLessThan(frame.indexOf('toy/flat — flat'));
    expect(frame.indexOf('toy/flat — flat')).toBeLessThan(frame.indexOf('verdict'));
  });

  it('ReportView shows the same title, legend and failed: lines as the text report', () => {
    const failing = { ...result, ladder: { ...result.ladder, models: result.ladder.models.map((m) => (m.id === 'c' ? { ...m, status: 'failed' as const, error: 'c: model.onnx is missing (run pnpm install)' } : m)) } };
    const frame = render(<ReportView result={failing} width={80} />).lastFrame()!;
    const text = renderReport(failing, 80);
    expect(text).toContain('failed: c: model.onnx is missing (run pnpm install)');
    for (const line of [composeReport(failing).title, 'failed: c: model.onnx is missing (run pnpm install)']) {
      expect(text).toContain(line);
      expect(frame).toContain(line);
    }
    expect(frame.indexOf('verdict')).toBeLessThan(frame.indexOf('failed: c'));
  });

  it('RunView shows models, progress bars and warnings', () => {
    let s = initialProgress(0);
    s = reduceProgress(s, { type: 'run-start', suite: 'icl', ladder: 'tiny', models: [{ id: 'a', params: 2000, nonEmbeddingParams: 1000 }], tasks: [{ id: 'x/y', total: 4 }] }, 0);
    s = reduceProgress(s, { type: 'model-loading', model: 'a', index: 0, count: 1 }, 0);
    s = reduceProgress(s, { type: 'progress', model: 'a', task: 'x/y', done: 4, total: 4, score: 1, metric: 'accuracy' }, 1000);
    s = reduceProgress(s, { type: 'warning', message: 'careful' }, 1000);
    const frame = render(<RunView state={s} />).lastFrame()!;
    expect(frame).toContain('bench icl · ladder tiny');
    expect(frame).toContain('… a 1K');
    expect(frame).toMatch(/x\/y\s+██████████████\s+4\/4 accuracy 1\.00/);
    expect(frame).toContain('! careful');
  });

  it('RunView stays shorter than the terminal, so Ink never clears the screen', () => {
    let s = initialProgress(0);
    const tasks = Array.from({ length: 12 }, (_, i) => ({ id: `t/${i}`, total: 4 }));
    s = reduceProgress(s, { type: 'run-start', suite: 'icl', ladder: 'tiny', models: [{ id: 'a', params: 2000, nonEmbeddingParams: 1000 }], tasks }, 0);
    s = reduceProgress(s, { type: 'model-loading', model: 'a', index: 0, count: 1 }, 0);
    const tall = render(<RunView state={s} />).lastFrame()!.split('\n');
    expect(tall.length).toBeGreaterThan(12);
    const cut = render(<RunView state={s} rows={8} />).lastFrame()!.split('\n');
    expect(cut).toHaveLength(7);
    expect(cut[0]).toContain('bench icl · ladder tiny');
    expect(cut[6]).toMatch(/^… \d+ more line\(s\)/);
    // Lines wider than the terminal would wrap into extra rows: they are cut to its width.
    const narrow = render(<RunView state={s} rows={8} columns={30} />).lastFrame()!.split('\n');
    expect(narrow).toHaveLength(7);
    for (const line of narrow) expect([...line].length).toBeLessThanOrEqual(30);
  });
});
