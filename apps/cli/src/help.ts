// Help text for every command, with examples.

const exitCodes = `Exit codes:
  0  success
  2  usage or configuration error (bad flag, bad or unknown suite/ladder/result file)
  3  runtime failure (a model failed to load or run; the run continues with the next model)
  4  regression found by \`bench compare\`
  130  interrupted (Ctrl-C); the journal keeps every scored sample, \`--resume\` continues`;

const initHelp = `bench init ladder <folder…> [--name <name>] [--out <file>] [--force]

Writes a ladder file for model folders on disk (each with config.json,
tokenizer files and onnx/*.onnx, as transformers.js reads them). For every
folder it reads:
  params, nonEmbeddingParams  exact counts from onnx/model.onnx (or the fp16
                              file): every floating-point initializer, the
                              embedding and unembedding told apart by shape and
                              name, a tied unembedding counted once, rotary
                              tables and masks (buffers) left out
  dtypes, defaultDtype        from the files in onnx/ (model.onnx is fp32,
                              model_quantized.onnx q8, model_<dtype>.onnx others)
  contextLength               config.json's n_positions or max_position_embeddings
The model id is the folder's name. Add trainingTokens by hand for
--scale trainingFlops. See docs/formats.md for every key.

Options:
      --name <name>   ladder name (default: the folders' parent folder)
  -o, --out <file>    ladder file (default: <name>.yaml here)
      --force         replace an existing file

Example:
  bench init ladder models/pico models/nano models/micro --name mine
  bench --suite icl --ladder mine.yaml
`;

export const help = {
  main: `bench — measure how abilities emerge as language models grow

Usage:
  bench [run] --suite <name|path> [options]   evaluate a suite on a ladder of models
  bench list [--json]                         suites, tasks and ladders
  bench validate <files…>                     check suite, ladder and result YAML
  bench report <result.yaml> [--format html]  draw a stored result again: text, HTML or SVG charts
  bench compare <base.yaml> <head.yaml>       fail when a metric or threshold regressed (--json)
  bench merge <journals…>                     combine shard journals into one result
  bench init ladder <folder…>                 write a ladder file with exact parameter counts

Examples:
  bench --suite icl                           the embedded tiny ladder, offline, on cpu
  bench --suite bbh --ladder smollm2 --device wasm
  bench compare results/icl/tiny.yaml /tmp/icl.yaml

Run \`bench <command> --help\` for a command's options. To run a suite in your
own browser (WebGPU or WASM) instead, \`pnpm web\` serves a page that does.

${exitCodes}
`,
  run: `bench run --suite <name|path> [options]

Evaluates every task of a suite on every model of a ladder, smallest first,
journaling each scored sample, then writes a result YAML and draws score
against model scale with thresholds located statistically.

Options:
  -s, --suite <name|path>   suite name in benchmarks/suites (icl, arithmetic, bbh, instruct, all) or a file
  -l, --ladder <name|path>  ladder name in benchmarks/ladders or a file (default: tiny)
  -d, --device <device>     cpu (onnxruntime-node) | wasm (onnxruntime-web) | webgpu (default: cpu)
      --runtime <where>     node | browser: where wasm runs (webgpu always runs in headless Chromium)
      --allow-mismatch      skip the browser's start-up comparison of log-likelihoods with cpu
      --dtype <dtype>       fp32 | q8 | … (default: one for every rung: fp32 if all have it, else the smallest all have)
      --n <n>               examples per task and shot count (overrides the suite)
      --seed <seed>         seed for the examples (overrides the suite)
      --resume              continue the last run of this suite × ladder × device × dtype from its journal
      --offline             never download; Hub models must be in the Hugging Face cache
  -o, --out <file>          result file (default: results/<suite>/<ladder>.yaml)
      --json                print the result as JSON instead of drawing it
      --fail-fast           stop at the first model that fails
      --shard <i/n>         run only shard i of n (for CI matrices); combine with \`bench merge\`
      --scale <axis>        params | nonEmbeddingParams | trainingFlops (default: nonEmbeddingParams)
      --batch-size <rows>   rows per forward pass (default: 16)
      --force               overwrite an existing result file even if it does not validate

Examples:
  bench --suite icl
  bench --suite arithmetic --n 100 --seed 7 --out /tmp/arith.yaml
  bench --suite icl --resume
  bench --suite all --shard 2/4
  bench --suite icl --device wasm --runtime browser

Journals are written under runs/ (gitignored). Results are written atomically and
never replace an existing file that fails validation unless --force is given.

${exitCodes}
`,
  list: `bench list [--json]

Lists the built-in suites, every registered task (id, kind, chance, what it
measures) and the ladders with their parameter counts (total and
non-embedding).

Options:
      --json    print the same as JSON: {suites, tasks, ladders}, with exact parameter counts

Example:
  bench list --json | jq '.ladders[] | {name, models: [.models[].id]}'
`,
  validate: `bench validate <files…> [--schema suite|ladder|result]

Validates YAML files against their JSON Schema (taken from the
\`# yaml-language-server: $schema=…\` line or the folder). Suites are also
resolved against the task registry. Errors name the file, line and JSON pointer.

Example:
  bench validate benchmarks/suites/*.yaml benchmarks/ladders/*.yaml results/*/*.yaml

Exit code 2 when any file is invalid.
`,
  report: `bench report <result.yaml> [--format text|html|svg|json] [--out <file|folder>] [--task <id>]

Draws a stored result again — scale plots, thresholds, verdicts and the
summary table — without running any model.

Options:
  -f, --format <format>   text (default): plots and table for the terminal
                          html: one self-contained file (inline SVG charts, the
                                table of tasks; no scripts, nothing fetched)
                          svg:  one chart per task: score against scale (log x)
                                with 95% intervals, chance line, continuous twin,
                                threshold bracket, verdict and reason
                          json: the result as JSON (same as --json)
  -o, --out <path>        html: a file, or a folder (gets <suite>-<ladder>.html)
                          svg: a folder (gets <family>-<task>.svg per task), or a
                               .svg file with --task
                          without --out, html and a single svg go to stdout
      --task <id>         only this task (e.g. icl/induction)
      --json              print the result as JSON

Examples:
  bench report results/icl/tiny.yaml
  bench report results/icl/tiny.yaml --format html --out report.html
  bench report results/icl/tiny.yaml --format svg --out charts/
  bench report results/icl/tiny.yaml --format svg --task icl/induction > induction.svg
`,
  compare: `bench compare <base.yaml> <head.yaml>

Compares two results task by task and model by model. A metric regresses when
it moves the wrong way by more than the combined 95% margin of the two stored
intervals, sqrt(h_base² + h_head²); a threshold regresses when it disappears or
moves by more than one rung. Prints a markdown summary (fit for a CI job
summary or PR comment).

Options:
      --json    print {base, head, regressions, notes, rows} as JSON instead;
                rows hold every changed metric (task, model, metric, base,
                head, delta, tolerance, status)

Examples:
  bench compare results/icl/tiny.yaml /tmp/icl.yaml >> "$GITHUB_STEP_SUMMARY"
  bench compare results/icl/tiny.yaml /tmp/icl.yaml --json | jq '.regressions'

Exit code 4 when anything regressed.
`,
  init: initHelp,
  merge: `bench merge <journals…> [--out <file>] [--force] [--partial]

Combines the journals of \`bench run --shard i/n\` runs (one per shard, from a CI
matrix) into one result, or rebuilds the result of one unsharded journal.
Every shard must be present, once, from the same suite, ladder, n, seed,
device and dtype, with the suite and ladder files unchanged since the run;
every planned sample must be there (or its model failed). Otherwise merge
says what is missing and exits 2. Lines cut by a kill or corrupted are
skipped with a warning; records of an earlier segment (a --resume with
another n or seed) are left out.

Options:
  --partial   write what is there, with a warning, when shards or samples are missing

Example:
  bench merge runs/all/tiny/cpu-default-shard-*-of-4.jsonl
`,
};
