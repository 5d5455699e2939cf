import { describe, expect, it } from 'vitest';
import { initialProgress, reduceProgress, renderProgress } from './progress.js';

describe('live view: Hub downloads', () => {
  it('shows the file arriving, its bytes and which file of the model it is, until the run starts', () => {
    let s = initialProgress(0);
    const base = { type: 'download' as const, model: 'smollm2-135m', repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', file: 'onnx/model.onnx', totalBytes: 540_000_000, totalFiles: 5 };
    s = reduceProgress(s, { ...base, bytes: 135_000_000, files: 3 }, 1000);
    expect(renderProgress(s, 100)).toContain('downloading smollm2-135m: onnx/model.onnx ████░░░░░░░░░░ 135.0/540.0 MB · file 4 of 5');
    // The model's last file done: nothing left to show.
    s = reduceProgress(s, { ...base, bytes: 540_000_000, files: 5 }, 2000);
    expect(renderProgress(s, 100).some((l) => l.startsWith('downloading'))).toBe(false);
    s = reduceProgress(s, { ...base, bytes: 1, files: 0 }, 3000);
    s = reduceProgress(s, { type: 'run-start', suite: 'icl', ladder: 'smollm2', models: [], tasks: [] }, 4000);
    expect(renderProgress(s, 100).some((l) => l.startsWith('downloading'))).toBe(false);
  });
});
