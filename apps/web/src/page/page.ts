// The page: pick a suite, a ladder and a device, run it in a worker, watch the
// same progress view as the terminal, read the scale charts (SVG) and the
// comparison with the committed result, download the result YAML or an HTML
// report. State for tests and scripts is in <body data-state>.
import { UserError, type ScaleAxis } from '@emergence/core';
import { webgpuAdapterInfo } from '@emergence/backends';
import { initialProgress, reduceProgress, renderComparisonHtml, renderHtmlReport, renderProgress, renderSummaryHtml, renderTaskSectionsHtml, reportCss, type ProgressState } from '@emergence/ui';
import type { Manifest } from '../manifest.js';
import { BrowserJournal } from './journal.js';
import { failureNotes, gpuNote, ladderNotes } from './notes.js';
import type { FromWorker, RunRequest, ToWorker } from './protocol.js';

type State = 'loading' | 'ready' | 'running' | 'done' | 'error';

/** How long Stop waits for the worker to end between batches before ending it outright. */
const STOP_GRACE_MS = 30;

function option(value: string, label: string, disabled = false): HTMLOptionElement {
  const o = new Option(label, value);
  o.disabled = disabled;
  return o;
}

function describeError(err: unknown): string {
  if (err instanceof UserError) return err.format();
  return err instanceof Error ? err.message : String(err);
}

const li = (text: string) => Object.assign(document.createElement('li'), { textContent: text });

export function startPage(): void {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const form = $<HTMLFormElement>('setup');
  const suiteSelect = $<HTMLSelectElement>('suite');
  const ladderSelect = $<HTMLSelectElement>('ladder');
  const deviceSelect = $<HTMLSelectElement>('device');
  const dtypeSelect = $<HTMLSelectElement>('dtype');
  const nInput = $<HTMLInputElement>('n');
  const axisSelect = $<HTMLSelectElement>('axis');
  const resumeBox = $<HTMLInputElement>('resume');
  const mismatchBox = $<HTMLInputElement>('allow-mismatch');
  const stopButton = $<HTMLButtonElement>('stop');
  const forgetButton = $<HTMLButtonElement>('forget');
  const status = $<HTMLParagraphElement>('status');
  const notes = $<HTMLUListElement>('notes');
  const failures = $<HTMLUListElement>('failures');
  const progress = $<HTMLPreElement>('progress');
  const resultSection = $<HTMLElement>('result');
  const summary = $<HTMLDivElement>('summary');
  const report = $<HTMLDivElement>('report');
  const download = $<HTMLAnchorElement>('download');
  const downloadHtml = $<HTMLAnchorElement>('download-html');
  const comparisonTitle = $<HTMLHeadingElement>('comparison-title');
  const comparison = $<HTMLDivElement>('comparison');
  // The charts' and tables' styles come with their renderers (one source for the page and `bench report --format html`).
  document.head.append(Object.assign(document.createElement('style'), { textContent: reportCss }));

  function setState(state: State, message: string, error = false): void {
    document.body.dataset.state = state;
    status.textContent = message;
    status.classList.toggle('error', error);
    const busy = state === 'running' || state === 'loading';
    for (const el of form.elements) (el as HTMLInputElement).disabled = busy;
    stopButton.disabled = state !== 'running';
  }

  async function main(): Promise<void> {
    const manifest = (await (await fetch('/manifest.json')).json()) as Manifest;
    const journal = await BrowserJournal.open();
    const params = new URLSearchParams(location.search);

    for (const s of manifest.suites) suiteSelect.append(option(s.name, s.unavailable ? `${s.name} (needs the CLI)` : s.name, s.unavailable !== null));
    for (const l of manifest.ladders) ladderSelect.append(option(l.name, l.error ? `${l.name} (invalid)` : l.name, l.error !== null));
    suiteSelect.value = params.get('suite') ?? manifest.suites.find((s) => !s.unavailable)?.name ?? '';
    ladderSelect.value = params.get('ladder') ?? (manifest.ladders.some((l) => l.name === 'tiny') ? 'tiny' : (manifest.ladders[0]?.name ?? ''));

    const adapter = await webgpuAdapterInfo();
    const gpu = gpuNote(adapter);
    if (adapter.webgpu) deviceSelect.querySelector<HTMLOptionElement>('option[value=webgpu]')!.disabled = true;
    deviceSelect.value = params.get('device') ?? (adapter.webgpu || adapter.webgpuFallback === 'true' ? 'wasm' : 'webgpu');
    if (params.get('n')) nInput.value = params.get('n')!;

    const showLadder = () => {
      const ladder = manifest.ladders.find((l) => l.name === ladderSelect.value);
      const dtypes = [...new Set(ladder?.models.flatMap((m) => Object.keys(m.dtypes)) ?? [])];
      dtypeSelect.replaceChildren(option('', "the ladder's shared dtype (default)"), ...dtypes.map((d) => option(d, d)));
      dtypeSelect.value = params.get('dtype') ?? '';
      notes.replaceChildren(...[...(ladder?.error ? [ladder.error] : []), ...(gpu ? [gpu] : []), ...(ladder ? ladderNotes(ladder) : [])].map(li));
    };
    ladderSelect.addEventListener('change', showLadder);
    showLadder();

    const showSaved = async () => `${await journal.count()} sample(s) saved in this browser.`;
    forgetButton.addEventListener('click', () => {
      void journal.clear().then(async () => setState('ready', `Saved samples forgotten. ${await showSaved()}`));
    });

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void run(manifest, journal);
    });
    setState('ready', `Ready. ${await showSaved()}`);
  }

  let runs = 0;
  async function run(manifest: Manifest, journal: BrowserJournal): Promise<void> {
    const n = nInput.value === '' ? undefined : Number(nInput.value);
    if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
      setState('error', `Examples per task must be a whole number ≥ 1, got "${nInput.value}".`, true);
      return;
    }
    const thisRun = ++runs;
    resultSection.hidden = true;
    failures.replaceChildren();
    setState('running', 'Running… (Stop, or closing the tab, keeps what is scored; Run again resumes.)');
    let state: ProgressState = initialProgress(Date.now());
    const samples = { fresh: 0, reused: 0 };
    const draw = () => (progress.textContent = renderProgress({ ...state, now: Date.now() }, 80).join('\n'));
    const timer = setInterval(draw, 500);
    const request: RunRequest = {
      manifest,
      suite: suiteSelect.value,
      ladder: ladderSelect.value,
      device: deviceSelect.value as 'wasm' | 'webgpu',
      dtype: dtypeSelect.value || undefined,
      n,
      scaleAxis: axisSelect.value as ScaleAxis,
      allowMismatch: mismatchBox.checked,
      resume: resumeBox.checked,
    };
    // The same bundle, as a module worker: it sees no document and runs the models.
    const worker = new Worker(new URL(import.meta.url), { type: 'module', name: 'emergence-bench inference' });
    const send = (m: ToWorker) => worker.postMessage(m);
    const ended = new Promise<FromWorker & { type: 'done' | 'stopped' | 'failed' }>((resolve) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        if (m.type !== 'event') return resolve(m);
        state = reduceProgress(state, m.event, Date.now());
        if (m.event.type === 'model-done') {
          samples.fresh += m.event.samples;
          samples.reused += m.event.reused;
        }
        if (m.event.type !== 'progress') draw();
      };
      worker.onerror = (e) => resolve({ type: 'failed', message: `the inference worker failed: ${e.message}` });
      // Stop: the worker stops between batches; a batch still computing is cut short (its samples are computed again next time).
      stopButton.onclick = () => {
        stopButton.disabled = true;
        send({ type: 'stop' });
        setTimeout(() => resolve({ type: 'stopped' }), STOP_GRACE_MS);
      };
    });
    send({ type: 'run', request });
    const end = await ended;
    worker.terminate();
    clearInterval(timer);
    stopButton.onclick = null;
    draw();
    if (end.type === 'stopped') {
      // Ready at once; the count follows (IndexedDB may first wind up the ended worker's last write).
      setState('ready', 'Stopped. What was scored is saved in this browser; Run resumes.');
      const count = await journal.count();
      if (runs === thisRun) status.textContent = `Stopped. ${count} sample(s) saved in this browser; Run resumes.`;
      return;
    }
    if (end.type === 'failed') {
      setState('error', end.message, true);
      return;
    }
    const outcome = end.outcome;
    summary.innerHTML = renderSummaryHtml(outcome.result);
    report.innerHTML = renderTaskSectionsHtml(outcome.result);
    comparisonTitle.hidden = comparison.hidden = outcome.comparison === null;
    if (outcome.comparison) {
      comparisonTitle.textContent = `Against the committed ${outcome.comparison.baseline} (what \`bench compare\` says)`;
      comparison.innerHTML = renderComparisonHtml(outcome.comparison.comparison);
    }
    URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([outcome.yaml], { type: 'text/yaml' }));
    download.download = outcome.fileName;
    URL.revokeObjectURL(downloadHtml.href);
    downloadHtml.href = URL.createObjectURL(new Blob([renderHtmlReport(outcome.result, { comparison: outcome.comparison?.comparison ?? null })], { type: 'text/html' }));
    downloadHtml.download = outcome.fileName.replace(/\.yaml$/, '.html');
    resultSection.hidden = false;
    const failed = outcome.result.ladder.models.filter((m) => m.status === 'failed');
    failures.replaceChildren(...failureNotes(failed).map(li));
    const seconds = ((Date.now() - state.startedAt) / 1000).toFixed(1);
    const counts = `${samples.fresh} sample(s) computed, ${samples.reused} reused from this browser`;
    setState('done', `Done in ${seconds} s: ${counts}.${failed.length ? ` ${failed.length} model(s) failed:` : ''}`);
  }

  main().catch((err: unknown) => setState('error', `The page could not start: ${describeError(err)}`, true));
}
