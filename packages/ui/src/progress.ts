// Live run state folded from the harness's events, and its text form. Pure,
// so the Ink view and the plain-text log show the same thing.
import { formatScale, type RunEvent } from '@emergence/core';

export interface ModelRow {
  id: string;
  params: number;
  /** The size tables and plots are ordered by (the default scale axis). */
  nonEmbeddingParams: number;
  status: 'pending' | 'loading' | 'running' | 'done' | 'failed';
  seconds: number;
}

export interface TaskRow {
  id: string;
  done: number;
  total: number;
  score: number | null;
  metric: string;
}

export interface ProgressState {
  suite: string;
  ladder: string;
  models: ModelRow[];
  current: string | null;
  /** The task the last progress event was about, while it has work left: marked in the view. */
  activeTask: string | null;
  tasks: TaskRow[];
  warnings: string[];
  /** The Hub file arriving now, before the run starts; null when none is. */
  download: { model: string; file: string; bytes: number; totalBytes: number; files: number; totalFiles: number } | null;
  /** ms timestamps, from the clock the caller passes in. */
  startedAt: number;
  modelStartedAt: number;
  /** When the last progress event came, and the current model's ETA then (seconds); the view counts it down. */
  lastProgressAt: number;
  etaAtLastProgress: number | null;
  now: number;
  finished: boolean;
}

export function initialProgress(now: number): ProgressState {
  return { suite: '', ladder: '', models: [], current: null, activeTask: null, tasks: [], warnings: [], download: null, startedAt: now, modelStartedAt: now, lastProgressAt: now, etaAtLastProgress: null, now, finished: false };
}

export function reduceProgress(state: ProgressState, event: RunEvent, now: number): ProgressState {
  const s: ProgressState = { ...state, now };
  const setModel = (id: string, patch: Partial<ModelRow>) => (s.models = s.models.map((m) => (m.id === id ? { ...m, ...patch } : m)));
  switch (event.type) {
    case 'download':
      s.download = event.files < event.totalFiles ? { model: event.model, file: event.file, bytes: event.bytes, totalBytes: event.totalBytes, files: event.files, totalFiles: event.totalFiles } : null;
      break;
    case 'run-start':
      s.download = null;
      s.suite = event.suite;
      s.ladder = event.ladder;
      s.models = event.models.map((m) => ({ ...m, status: 'pending', seconds: 0 }));
      s.tasks = event.tasks.map((t) => ({ id: t.id, done: 0, total: t.total, score: null, metric: '' }));
      break;
    case 'model-loading':
      s.current = event.model;
      s.modelStartedAt = now;
      s.activeTask = null;
      s.etaAtLastProgress = null;
      s.tasks = s.tasks.map((t) => ({ ...t, done: 0, score: null }));
      setModel(event.model, { status: 'loading' });
      break;
    case 'model-loaded':
      setModel(event.model, { status: 'running' });
      break;
    case 'progress': {
      s.tasks = s.tasks.map((t) => (t.id === event.task ? { ...t, done: event.done, total: event.total, score: event.score, metric: event.metric } : t));
      s.activeTask = event.done < event.total ? event.task : null;
      // The rate is measured at events only: between them (a long batch) the estimate counts down instead of up.
      const done = s.tasks.reduce((a, t) => a + t.done, 0);
      const total = s.tasks.reduce((a, t) => a + t.total, 0);
      s.lastProgressAt = now;
      s.etaAtLastProgress = done > 0 && total > 0 ? (((now - s.modelStartedAt) / 1000) * (total - done)) / done : null;
      break;
    }
    case 'warning':
      s.warnings = [...s.warnings.filter((w) => w !== event.message), event.message].slice(-3);
      break;
    case 'model-failed':
      setModel(event.model, { status: 'failed', seconds: (now - s.modelStartedAt) / 1000 });
      s.warnings = [...s.warnings, event.message].slice(-3);
      break;
    case 'model-done':
      setModel(event.model, { status: 'done', seconds: event.seconds });
      break;
    case 'run-done':
      s.finished = true;
      s.current = null;
      s.activeTask = null;
      break;
  }
  return s;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

export function bar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * ETA for the current model, in seconds: the rate measured at the last
 * progress event, counted down since; null before any progress. It stays
 * above zero while work is left (a batch that runs longer than the rate says).
 */
export function eta(state: ProgressState): number | null {
  if (!state.current || state.etaAtLastProgress === null) return null;
  const left = state.tasks.some((t) => t.done < t.total);
  const e = state.etaAtLastProgress - (state.now - state.lastProgressAt) / 1000;
  return left ? Math.max(1, e) : Math.max(0, e);
}

/**
 * Time left for the whole run, as a lower bound: the current model's ETA plus,
 * for each model still waiting, what the current model takes in all. Models
 * run smallest first, so a later one is rarely faster; null before the
 * current model has a rate.
 */
export function runEta(state: ProgressState): number | null {
  const current = eta(state);
  if (current === null || state.etaAtLastProgress === null) return null;
  const modelSeconds = (state.lastProgressAt - state.modelStartedAt) / 1000 + state.etaAtLastProgress;
  const waiting = state.models.filter((m) => m.status === 'pending').length;
  return current + waiting * modelSeconds;
}

export function renderProgress(state: ProgressState, width = 80): string[] {
  const lines: string[] = [];
  const left = runEta(state);
  lines.push(`bench ${state.suite} · ladder ${state.ladder} · elapsed ${clock((state.now - state.startedAt) / 1000)}${left === null ? '' : ` · run ≥ ${clock(left)} left`}`.slice(0, width));
  const marks = { pending: '·', loading: '…', running: '▶', done: '✓', failed: '✗' } as const;
  lines.push(state.models.map((m) => `${marks[m.status]} ${m.id} ${formatScale(m.nonEmbeddingParams)}`).join('  ').slice(0, width));
  if (state.download) {
    const d = state.download;
    const mb = (b: number) => (b / 1e6).toFixed(1);
    lines.push(`downloading ${d.model}: ${d.file} ${bar(d.bytes, d.totalBytes, 14)} ${mb(d.bytes)}/${mb(d.totalBytes)} MB · file ${d.files + 1} of ${d.totalFiles}`.slice(0, width));
  }
  if (state.current) {
    const e = eta(state);
    const model = state.models.find((m) => m.id === state.current);
    lines.push(`model ${state.current} (${formatScale(model?.nonEmbeddingParams ?? 0)} non-embedding params)${e === null ? '' : ` · ETA ${clock(e)}`}`);
    const idW = Math.min(34, width - 40);
    for (const t of state.tasks) {
      // ▸ marks the task whose batch is computing.
      const name = `${t.id === state.activeTask ? '▸' : ' '}${t.id}`;
      const id = name.length > idW ? `${name.slice(0, idW - 1)}…` : name.padEnd(idW);
      const score = t.score === null ? '' : `${t.metric} ${t.score.toFixed(2)}`;
      lines.push(`${id} ${bar(t.done, t.total, 14)} ${`${t.done}/${t.total}`.padStart(7)} ${score}`.slice(0, width));
    }
  }
  for (const w of state.warnings) lines.push(`! ${w}`.slice(0, width));
  return lines;
}
