// The bad-input battery: every input a person can get wrong, with the one line
// `bench` must answer and its exit code. battery.test.ts runs it in-process;
// `tsx apps/cli/test/battery.ts` prints what each case answers now.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, type Io } from '../src/cli.js';

export interface Case {
  name: string;
  argv: string[];
  /** Files written in the case's folder before it runs (path → content). */
  files?: Record<string, string | Buffer>;
  code: number;
  /** The whole of stderr (trimmed), with `$DIR` for the case's folder. A RegExp where part of it varies. */
  stderr: string | RegExp;
  /** The whole of stdout (trimmed), where the command reports there (validate). */
  stdout?: string | RegExp;
}

const root = resolve(import.meta.dirname, '../../..');
const tinyModel = (id: string, params: number, extra = '') =>
  `  - id: ${id}\n    source: { folder: ${root}/packages/ladder-tiny/models/tiny-1 }\n    params: ${params}\n    nonEmbeddingParams: ${Math.floor(params / 2)}\n    dtypes: [fp32]\n${extra}`;
const ladder = (models: string) => `name: mine\nmodels:\n${models}`;
const suite = (body: string) => `name: s\nseed: 1\nn: 2\n${body}`;
const okSuite = suite('tasks:\n  - task: icl/induction\n');
const okLadder = ladder(tinyModel('a', 1000) + tinyModel('b', 2000));
const bad = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0x73, 0x0a, 0x64, 0x65, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x69, 0x6f, 0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);

export const cases: Case[] = [
  // ---------------------------------------------------------------- run: flags
  { name: 'unknown flag', argv: ['--suite', 'icl', '--bogus'], code: 2, stderr: "bench: Unknown option '--bogus' (see `bench run --help`)" },
  { name: 'no --suite', argv: ['run'], code: 2, stderr: 'bench: missing --suite (e.g. --suite icl; suites: all, arithmetic, bbh, icl, instruct)' },
  { name: 'unknown suite name', argv: ['--suite', 'icll'], code: 2, stderr: 'bench: unknown suite "icll" (known suites: all, arithmetic, bbh, icl, instruct; or give a path to a YAML file)' },
  { name: 'suite file missing', argv: ['--suite', './nope.yaml'], code: 2, stderr: 'bench: $DIR/nope.yaml: suite file does not exist' },
  { name: 'unknown ladder name', argv: ['--suite', 'icl', '--ladder', 'giant'], code: 2, stderr: /^bench: unknown ladder "giant" \(known ladders: .*tiny.*; or give a path to a YAML file\)$/ },
  { name: 'unknown device', argv: ['--suite', 'icl', '--device', 'gpu'], code: 2, stderr: 'bench: --device must be one of: cpu, wasm, webgpu; got "gpu"' },
  { name: 'unknown scale axis', argv: ['--suite', 'icl', '--scale', 'flops'], code: 2, stderr: 'bench: --scale must be one of: params, nonEmbeddingParams, trainingFlops; got "flops"' },
  { name: 'unknown runtime', argv: ['--suite', 'icl', '--runtime', 'deno'], code: 2, stderr: 'bench: --runtime must be node or browser; got "deno"' },
  { name: 'browser cpu', argv: ['--suite', 'icl', '--runtime', 'browser', '--device', 'cpu'], code: 2, stderr: 'bench: --runtime browser runs wasm or webgpu (use --device wasm --runtime browser, or --device webgpu)' },
  { name: 'webgpu in node', argv: ['--suite', 'icl', '--device', 'webgpu', '--runtime', 'node'], code: 2, stderr: 'bench: webgpu runs only in the browser (drop --runtime node)' },
  { name: 'n zero', argv: ['--suite', 'icl', '--n', '0'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "0"' },
  { name: 'n negative', argv: ['--suite', 'icl', '--n', '-3'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "-3"' },
  { name: 'n fractional', argv: ['--suite', 'icl', '--n', '1.5'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "1.5"' },
  { name: 'n not a number', argv: ['--suite', 'icl', '--n', 'ten'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "ten"' },
  { name: 'n past the schema bound', argv: ['--suite', 'icl', '--n', '1000000000'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "1000000000"' },
  { name: 'n just past the bound', argv: ['--suite', 'icl', '--n', '100001'], code: 2, stderr: 'bench: --n must be an integer from 1 to 100,000, got "100001"' },
  { name: 'n without a value', argv: ['--suite', 'icl', '--n'], code: 2, stderr: "bench: Option '--n <value>' argument missing (see `bench run --help`)" },
  { name: 'seed negative', argv: ['--suite', 'icl', '--seed', '-1'], code: 2, stderr: 'bench: --seed must be an integer from 0 to 9,007,199,254,740,991, got "-1"' },
  { name: 'seed not a number', argv: ['--suite', 'icl', '--seed', 'x'], code: 2, stderr: 'bench: --seed must be an integer from 0 to 9,007,199,254,740,991, got "x"' },
  { name: 'batch size zero', argv: ['--suite', 'icl', '--batch-size', '0'], code: 2, stderr: 'bench: --batch-size must be an integer from 1 to 9,007,199,254,740,991, got "0"' },
  { name: 'shard past its count', argv: ['--suite', 'icl', '--shard', '3/2'], code: 2, stderr: 'bench: --shard must be i/n with 1 ≤ i ≤ n, got "3/2" (for example --shard 2/4)' },
  { name: 'shard zero', argv: ['--suite', 'icl', '--shard', '0/2'], code: 2, stderr: 'bench: --shard must be i/n with 1 ≤ i ≤ n, got "0/2" (for example --shard 2/4)' },
  { name: 'shard not i/n', argv: ['--suite', 'icl', '--shard', 'half'], code: 2, stderr: 'bench: --shard must be i/n with 1 ≤ i ≤ n, got "half" (for example --shard 2/4)' },
  { name: 'unknown dtype', argv: ['--suite', 'icl', '--dtype', 'nonexistent'], code: 2, stderr: 'bench: --dtype must be one of: fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4; got "nonexistent"' },
  { name: 'dtype no model has', argv: ['--suite', 'icl', '--dtype', 'q4'], code: 2, stderr: `bench: ${root}/benchmarks/ladders/tiny.yaml: no model of ladder tiny lists q4 weights (its models list: fp32, q8)` },
  { name: 'stray argument', argv: ['--suite', 'icl', 'extra'], code: 2, stderr: 'bench: unexpected argument "extra" (see `bench run --help`)' },
  // ---------------------------------------------------------------- run: output path
  { name: 'out is a folder', argv: ['--suite', './s.yaml', '--out', 'adir'], files: { 's.yaml': okSuite, 'adir/x': '' }, code: 2, stderr: 'bench: $DIR/adir: the output path is a folder (give a file name, e.g. $DIR/adir/result.yaml)' },
  { name: 'out is a device', argv: ['--suite', './s.yaml', '--out', '/dev/null'], files: { 's.yaml': okSuite }, code: 2, stderr: 'bench: /dev/null: the output path is not a regular file (a device, pipe or socket) (give a file name)' },
  { name: 'out is a result that does not validate', argv: ['--suite', './s.yaml', '--out', 'r.yaml'], files: { 's.yaml': okSuite, 'r.yaml': 'hand: edited\n' }, code: 2, stderr: /^bench: \$DIR\/r\.yaml: refusing to overwrite: the existing file does not validate \(.*\) \(move it away, fix it, or pass --force\)$/ },
  { name: 'default path holds a baseline at another n', argv: ['--suite', './s.yaml'], files: { 's.yaml': okSuite, 'results/s/tiny.yaml': readFileSync(join(root, 'results/icl/tiny.yaml')) }, code: 2, stderr: 'bench: results/s/tiny.yaml holds a result at n = 100, seed 1234; this run is n = 2, seed 1 (pass --out <file> to write beside it, or --force to replace it)' },
  { name: 'out under a file', argv: ['--suite', './s.yaml', '--out', 'f/r.yaml'], files: { 's.yaml': okSuite, f: '' }, code: 2, stderr: 'bench: $DIR/f: cannot write: a file is in the way of a folder on the path (EEXIST) (check the path)' },
  // ---------------------------------------------------------------- suite files
  { name: 'suite: YAML syntax', argv: ['--suite', './s.yaml'], files: { 's.yaml': 'name: s\nseed: [1\n' }, code: 2, stderr: 'bench: $DIR/s.yaml:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  { name: 'suite: empty file', argv: ['--suite', './s.yaml'], files: { 's.yaml': '' }, code: 2, stderr: 'bench: $DIR/s.yaml: file is empty; expected a suite YAML document' },
  { name: 'suite: shots not a list', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - task: icl/induction\n    shots: many\n') }, code: 2, stderr: 'bench: $DIR/s.yaml:6 at /tasks/0/shots: expected array' },
  { name: 'suite: unknown task', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - task: icl/inducton\n') }, code: 2, stderr: 'bench: $DIR/s.yaml at /tasks/0: unknown task "icl/inducton" (did you mean "icl/induction"? `bench list` shows all tasks)' },
  { name: 'suite: unknown option', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - task: arithmetic/addition\n    options: { digit: 2 }\n') }, code: 2, stderr: 'bench: $DIR/s.yaml at /tasks/0: task arithmetic/addition has no option "digit" (its options are: digits, cot)' },
  { name: 'suite: option value not allowed', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - task: icl/symbol-mapping\n    options: { symbols: 5 }\n') }, code: 2, stderr: 'bench: $DIR/s.yaml at /tasks/0: option "symbols" of task icl/symbol-mapping must be one of: 2, 3, 4, 6, 8; got 5' },
  { name: 'suite: n zero', argv: ['--suite', './s.yaml'], files: { 's.yaml': 'name: s\nseed: 1\nn: 0\ntasks:\n  - task: icl/induction\n' }, code: 2, stderr: 'bench: $DIR/s.yaml:3 at /n: must be >= 1 (suite schema: #/properties/n/minimum)' },
  { name: 'suite: n past the bound', argv: ['--suite', './s.yaml'], files: { 's.yaml': 'name: s\nseed: 1\nn: 100001\ntasks:\n  - task: icl/induction\n' }, code: 2, stderr: 'bench: $DIR/s.yaml:3 at /n: must be <= 100000 (suite schema: #/properties/n/maximum)' },
  { name: 'suite: no name', argv: ['--suite', './s.yaml'], files: { 's.yaml': 'seed: 1\nn: 2\ntasks:\n  - task: icl/induction\n' }, code: 2, stderr: 'bench: $DIR/s.yaml:1 at /: missing required key "name" (add "name:" here)' },
  { name: 'suite: unknown key', argv: ['--suite', './s.yaml'], files: { 's.yaml': `${okSuite}colour: red\n` }, code: 2, stderr: 'bench: $DIR/s.yaml:6 at /colour: unknown key "colour" (allowed keys: $schema, name, description, seed, n, shots, tasks)' },
  { name: 'suite: no tasks', argv: ['--suite', './s.yaml'], files: { 's.yaml': 'name: s\nseed: 1\nn: 2\ntasks: []\n' }, code: 2, stderr: 'bench: $DIR/s.yaml:4 at /tasks: must NOT have fewer than 1 items (suite schema: #/properties/tasks/minItems)' },
  { name: 'suite: negative shots', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - task: icl/induction\n    shots: [-1]\n') }, code: 2, stderr: 'bench: $DIR/s.yaml:6 at /tasks/0/shots/0: must be >= 0 (suite schema: #/$defs/shots/items/minimum)' },
  { name: 'suite: not UTF-8', argv: ['--suite', './s.yaml'], files: { 's.yaml': bad }, code: 2, stderr: 'bench: $DIR/s.yaml:2: the file is not valid UTF-8 (save it as UTF-8)' },
  { name: 'suite: import of a missing file', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - import: { format: bbh, path: ./none.json }\n') }, code: 2, stderr: 'bench: $DIR/none.json at /tasks/0: file does not exist or cannot be read' },
  { name: 'suite: import of bad JSON', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - import: { format: bbh, path: ./b.json }\n'), 'b.json': '{"examples": [' }, code: 2, stderr: 'bench: $DIR/b.json at /tasks/0: invalid JSON: Unexpected end of JSON input' },
  { name: 'suite: import not UTF-8', argv: ['--suite', './s.yaml'], files: { 's.yaml': suite('tasks:\n  - import: { format: bbh, path: ./b.json }\n'), 'b.json': Buffer.concat([Buffer.from('{"examples": [\n{"input": "'), Buffer.from([0xc3, 0x28]), Buffer.from('", "target": "x"}]}\n')]) }, code: 2, stderr: 'bench: $DIR/b.json:2 at /tasks/0: the file is not valid UTF-8 (save it as UTF-8)' },
  // ---------------------------------------------------------------- ladder files
  { name: 'ladder: file missing', argv: ['--suite', './s.yaml', '--ladder', './none.yaml'], files: { 's.yaml': okSuite }, code: 2, stderr: 'bench: $DIR/none.yaml: ladder file does not exist' },
  { name: 'ladder: params missing', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(`  - id: a\n    source: { folder: x }\n    nonEmbeddingParams: 1\n    dtypes: [fp32]\n`) }, code: 2, stderr: 'bench: $DIR/l.yaml:3 at /models/0: missing required key "params" (add "params:" here)' },
  { name: 'ladder: params not an integer', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000).replace('params: 1000', 'params: lots')) }, code: 2, stderr: 'bench: $DIR/l.yaml:5 at /models/0/params: expected integer' },
  { name: 'ladder: nonEmbeddingParams above params', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000).replace('nonEmbeddingParams: 500', 'nonEmbeddingParams: 5000') + tinyModel('b', 2000)) }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/0/nonEmbeddingParams: nonEmbeddingParams (5000) is larger than params (1000) (params counts every parameter, nonEmbeddingParams those outside the embedding and unembedding)' },
  { name: 'ladder: duplicate id', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000) + tinyModel('a', 2000)) }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/1/id: model id "a" appears twice' },
  { name: 'ladder: default dtype not listed', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000, '    defaultDtype: q8\n') + tinyModel('b', 2000)) }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/0/defaultDtype: defaultDtype "q8" is not in dtypes [fp32]' },
  { name: 'ladder: two rungs of one size', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000) + tinyModel('b', 1000)) }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/1/nonEmbeddingParams: b and a have the same nonEmbeddingParams (500); rungs of a ladder must differ in size (correct the count, or give seeds of one size the same group)' },
  { name: 'ladder: seeds of one group differ', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000, '    group: g\n') + tinyModel('b', 2000, '    group: g\n')) }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/1/params: group "g" holds seeds of one size, but b and a have different parameter counts (give seeds the same params and nonEmbeddingParams, or different groups)' },
  { name: 'ladder: trainingFlops axis without trainingTokens', argv: ['--suite', './s.yaml', '--ladder', './l.yaml', '--scale', 'trainingFlops'], files: { 's.yaml': okSuite, 'l.yaml': okLadder }, code: 2, stderr: 'bench: $DIR/l.yaml at /models/0/trainingTokens: --scale trainingFlops needs trainingTokens for every model; a, b have none (add trainingTokens (tokens seen in training), or use --scale params or nonEmbeddingParams)' },
  { name: 'ladder: contextLength past the window', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000, '    contextLength: 4096\n') + tinyModel('b', 2000)) }, code: 2, stderr: `bench: $DIR/l.yaml at /models/0/contextLength: contextLength 4096 is larger than the 256-token window in ${root}/packages/ladder-tiny/models/tiny-1/config.json (use at most 256)` },
  { name: 'ladder: a dtype some rungs lack', argv: ['--suite', './s.yaml', '--ladder', './l.yaml', '--dtype', 'q8'], files: { 's.yaml': okSuite, 'l.yaml': ladder(tinyModel('a', 1000).replace('dtypes: [fp32]', 'dtypes: [fp32, q8]') + tinyModel('b', 2000)) }, code: 2, stderr: 'bench: $DIR/l.yaml: b lists no q8 weights (--dtype must be one every rung has; b has fp32)' },
  { name: 'ladder: unknown key', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': `${okLadder}size: big\n` }, code: 2, stderr: 'bench: $DIR/l.yaml:13 at /size: unknown key "size" (allowed keys: $schema, name, description, models)' },
  { name: 'ladder: no source', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': ladder(`  - id: a\n    params: 10\n    nonEmbeddingParams: 1\n    dtypes: [fp32]\n`) }, code: 2, stderr: 'bench: $DIR/l.yaml:3 at /models/0: missing required key "source" (add "source:" here)' },
  { name: 'ladder: not UTF-8', argv: ['--suite', './s.yaml', '--ladder', './l.yaml'], files: { 's.yaml': okSuite, 'l.yaml': bad }, code: 2, stderr: 'bench: $DIR/l.yaml:2: the file is not valid UTF-8 (save it as UTF-8)' },
  // ---------------------------------------------------------------- other commands
  { name: 'unknown command', argv: ['frobnicate'], code: 2, stderr: 'bench: unknown command "frobnicate" (commands: run, list, validate, report, compare, merge, init)' },
  { name: 'validate: nothing given', argv: ['validate'], code: 2, stderr: 'bench: give one or more YAML files to validate (e.g. bench validate benchmarks/suites/*.yaml)' },
  { name: 'validate: unknown schema', argv: ['validate', '--schema', 'bogus', 's.yaml'], files: { 's.yaml': okSuite }, code: 2, stderr: 'bench: --schema must be one of: suite, ladder, result; got "bogus"' },
  { name: 'validate: schema cannot be told', argv: ['validate', 'x.yaml'], files: { 'x.yaml': 'a: 1\n' }, code: 2, stderr: '', stdout: 'bad x.yaml: cannot tell which schema applies (add a `# yaml-language-server: $schema=…` line or pass --schema suite|ladder|result)' },
  { name: 'validate: not UTF-8', argv: ['validate', 's.yaml'], files: { 's.yaml': bad }, code: 2, stderr: '', stdout: 'bad s.yaml:2: the file is not valid UTF-8 (save it as UTF-8)' },
  { name: 'validate: a file missing among good ones', argv: ['validate', 's.yaml', 'none.yaml'], files: { 's.yaml': `# yaml-language-server: $schema=suite.schema.json\n${okSuite}` }, code: 2, stderr: '', stdout: 'ok  s.yaml (suite)\nbad none.yaml: file does not exist' },
  { name: 'report: nothing given', argv: ['report'], code: 2, stderr: 'bench: give exactly one result file (e.g. bench report results/icl/tiny.yaml)' },
  { name: 'report: file missing', argv: ['report', 'none.yaml'], code: 2, stderr: 'bench: $DIR/none.yaml: file does not exist' },
  { name: 'report: not a result', argv: ['report', 's.yaml'], files: { 's.yaml': okSuite }, code: 2, stderr: 'bench: $DIR/s.yaml:5 at /tasks/0/task: unknown key "task" (allowed keys: id, version, kind, chance, discrete, continuous, models, groups, analysis)' },
  { name: 'compare: one file', argv: ['compare', 'a.yaml'], code: 2, stderr: 'bench: give a base and a head result file (e.g. bench compare results/icl/tiny.yaml /tmp/icl.yaml)' },
  { name: 'compare: different suites', argv: ['compare', `${root}/results/icl/tiny.yaml`, `${root}/results/arithmetic/tiny.yaml`], code: 2, stderr: 'bench: base is suite icl on ladder tiny, head is suite arithmetic on ladder tiny (compare two results of one suite and ladder)' },
  { name: 'merge: nothing given', argv: ['merge'], code: 2, stderr: 'bench: give the shard journals to merge (e.g. bench merge runs/icl/tiny/cpu-default-shard-*.jsonl)' },
  { name: 'merge: file missing', argv: ['merge', 'none.jsonl'], code: 2, stderr: 'bench: none.jsonl: file does not exist' },
  { name: 'merge: not a journal', argv: ['merge', 'x.jsonl'], files: { 'x.jsonl': 'hello\n' }, code: 2, stderr: 'bench: x.jsonl: not a run journal (no header line) (journals are the .jsonl files under runs/)' },
  { name: 'merge: unknown flag', argv: ['merge', '--shards', 'x'], code: 2, stderr: "bench: Unknown option '--shards' (see `bench merge --help`)" },
];

/** Run one case in-process in a fresh folder; stderr with the folder written as `$DIR`. */
export async function runCase(c: Case): Promise<{ code: number; stderr: string; stdout: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-battery-'));
  for (const [file, content] of Object.entries(c.files ?? {})) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  let stderr = '';
  let stdout = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: dir,
    env: { CI: 'true' },
    isTTY: false,
  };
  const code = await main(c.argv, io);
  return { code, stderr: stderr.trim().split(dir).join('$DIR'), stdout: stdout.trim().split(dir).join('$DIR'), dir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const c of cases) {
    const r = await runCase(c);
    console.log(JSON.stringify({ name: c.name, code: r.code, stderr: r.stderr, ...(c.stdout !== undefined ? { stdout: r.stdout } : {}) }));
  }
}
