// The page: pick a suite, a ladder and a device, run it here, watch the same
// progress view as the terminal, read the same scale plots, download the
// result YAML. State for tests and scripts is in <body data-state>.
import { UserError, type ScaleAxis } from '@emergence/core';
import { webgpuAdapterInfo } from '@emergence/runner';
import { initialProgress, reduceProgress, renderProgress, renderReport, type ProgressState } from '@emergence/ui';
import type { Manifest } from '../manifest.js';
import { BrowserJournal } from './journal.js';
import { runInPage } from './run.js';

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
const report = $<HTMLPreElement>('report');
const download = $<HTMLAnchorElement>('download');
const comparisonTitle = $<HTMLHeadingElement>('comparison-title');
const comparison = $<HTMLPreElement>('comparison');

type State = 'loading' | 'ready' | 'running' | 'done' | 'error';

function setState(state: State, message: string, error = false): void {
  document.body.dataset.state = state;
  status.textContent = message;
  status.classList.toggle('error', error);
  const busy = state === 'running' || state === 'loading';
  for (const el of form.elements) (el as HTMLInputElement).disabled = busy;
  stopButton.disabled = state !== 'running';
}

function option(value: string, label: string, disabled = false): HTMLOptionElement {
  const o = new Option(label, value);
  o.disabled = disabled;
  return o;
}

function describeError(err: unknown): string {
  if (err instanceof UserError) return err.format();
  return err instanceof Error ? err.message : String(err);
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
  const gpuNote =
    adapter.webgpu ? `WebGPU is ${adapter.webgpu} in this browser; WASM it is.`
    : adapter.webgpuFallback === 'true' ? `The WebGPU adapter here is a software fallback (${adapter.webgpuAdapter}): correct, but far slower than WASM.`
    : null;
  if (adapter.webgpu) deviceSelect.querySelector<HTMLOptionElement>('option[value=webgpu]')!.disabled = true;
  deviceSelect.value = params.get('device') ?? (adapter.webgpu || adapter.webgpuFallback === 'true' ? 'wasm' : 'webgpu');
  if (params.get('n')) nInput.value = params.get('n')!;

  const showLadder = () => {
    const ladder = manifest.ladders.find((l) => l.name === ladderSelect.value);
    const dtypes = [...new Set(ladder?.models.flatMap((m) => Object.keys(m.dtypes)) ?? [])];
    dtypeSelect.replaceChildren(option('', "each model's default"), ...dtypes.map((d) => option(d, d)));
    dtypeSelect.value = params.get('dtype') ?? '';
    const missing = ladder?.models.flatMap((m) => Object.entries(m.dtypes).filter(([, p]) => p).map(([d, p]) => `${m.id} ${d}: ${p!.detail} — fix: ${p!.fix}`)) ?? [];
    notes.replaceChildren(
      ...[...(ladder?.error ? [ladder.error] : []), ...(gpuNote ? [gpuNote] : []), ...missing].map((text) => Object.assign(document.createElement('li'), { textContent: text })),
    );
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

async function run(manifest: Manifest, journal: BrowserJournal): Promise<void> {
  const n = nInput.value === '' ? undefined : Number(nInput.value);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
    setState('error', `Examples per task must be a whole number ≥ 1, got "${nInput.value}".`, true);
    return;
  }
  resultSection.hidden = true;
  failures.replaceChildren();
  const stop = new AbortController();
  stopButton.onclick = () => stop.abort(new Error('stopped'));
  setState('running', 'Running… (Stop, or closing the tab, keeps what is scored; Run again resumes.)');
  let state: ProgressState = initialProgress(Date.now());
  const samples = { fresh: 0, reused: 0 };
  const draw = () => (progress.textContent = renderProgress({ ...state, now: Date.now() }, 80).join('\n'));
  const timer = setInterval(draw, 500);
  try {
    const outcome = await runInPage({
      manifest,
      suite: suiteSelect.value,
      ladder: ladderSelect.value,
      device: deviceSelect.value as 'wasm' | 'webgpu',
      dtype: dtypeSelect.value || undefined,
      n,
      scaleAxis: axisSelect.value as ScaleAxis,
      allowMismatch: mismatchBox.checked,
      resume: resumeBox.checked,
      journal,
      signal: stop.signal,
      onEvent: (event) => {
        state = reduceProgress(state, event, Date.now());
        if (event.type === 'model-done') {
          samples.fresh += event.samples;
          samples.reused += event.reused;
        }
        if (event.type !== 'progress') draw();
      },
    });
    draw();
    report.textContent = renderReport(outcome.result, 80);
    comparisonTitle.hidden = comparison.hidden = outcome.comparison === null;
    if (outcome.comparison) {
      comparisonTitle.textContent = `Against the committed ${outcome.comparison.baseline} (what \`bench compare\` says)`;
      comparison.textContent = outcome.comparison.comparison.markdown;
    }
    URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([outcome.yaml], { type: 'text/yaml' }));
    download.download = outcome.fileName;
    resultSection.hidden = false;
    // In full, with the fix: the progress view cuts lines at 80 columns.
    const failed = outcome.result.ladder.models.filter((m) => m.status === 'failed');
    failures.replaceChildren(...failed.map((m) => Object.assign(document.createElement('li'), { textContent: m.error ?? `${m.id} failed` })));
    const seconds = ((Date.now() - state.startedAt) / 1000).toFixed(1);
    const counts = `${samples.fresh} sample(s) computed, ${samples.reused} reused from this browser`;
    setState('done', `Done in ${seconds} s: ${counts}.${failed.length ? ` ${failed.length} model(s) failed:` : ''}`);
  } catch (err) {
    if (stop.signal.aborted) setState('ready', `Stopped. ${await journal.count()} sample(s) saved in this browser; Run resumes.`);
    else setState('error', describeError(err), true);
  } finally {
    clearInterval(timer);
  }
}

main().catch((err: unknown) => setState('error', `The page could not start: ${describeError(err)}`, true));
