// Which tasks a suite runs: the source of suite.schema.json and of the Suite type.
// `pnpm run docs` writes it to packages/core/schemas/suite.schema.json for editors; a test keeps the two equal.

export const suiteSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://emergence-bench.dev/schemas/suite.schema.json",
  "title": "Emergence Bench suite",
  "description": "Which tasks to run, how many examples, which shot counts and which seed.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "name",
    "seed",
    "n",
    "tasks"
  ],
  "properties": {
    "$schema": {
      "type": "string",
      "description": "Path or URL of this schema, for editors that read a `$schema` key. The `# yaml-language-server: $schema=…` comment on the first line does the same and is what the shipped files use; `bench` ignores both.",
      "examples": [
        "../../packages/core/schemas/suite.schema.json"
      ]
    },
    "name": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9-]*$",
      "description": "Suite name; results go to results/<name>/<ladder>.yaml.",
      "examples": [
        "icl"
      ]
    },
    "description": {
      "type": "string",
      "description": "One sentence on what the suite measures; `bench list` shows it.",
      "examples": [
        "In-context learning on the ladder: copying, k-shot label mappings, linear functions."
      ]
    },
    "seed": {
      "type": "integer",
      "minimum": 0,
      "description": "Seed for test items; demonstrations use a derived, disjoint stream.",
      "examples": [
        1234
      ]
    },
    "n": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "description": "Test items per task and per shot count. `--n` overrides it; a task entry's `n` overrides it for that task.",
      "examples": [
        100
      ]
    },
    "shots": {
      "$ref": "#/$defs/shots",
      "description": "Demonstration (few-shot) counts to sweep for every task, e.g. `[0, 2, 8]`; a task entry's `shots` overrides it. Each count is scored separately; tables and thresholds use the largest.",
      "default": [
        0
      ],
      "examples": [
        [
          0,
          2,
          8
        ]
      ]
    },
    "tasks": {
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/taskEntry"
      },
      "description": "The tasks to run, in order: each entry names a registered task (`task:`) or imports one from a JSON file (`import:`), not both.",
      "examples": [
        [
          {
            "task": "icl/induction",
            "n": 200,
            "shots": [
              0
            ]
          },
          {
            "task": "icl/label-mapping",
            "options": {
              "labels": "flipped"
            }
          }
        ]
      ]
    }
  },
  "$defs": {
    "shots": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "integer",
        "minimum": 0,
        "maximum": 64
      },
      "description": "Demonstration counts to sweep, e.g. [0, 1, 2, 4, 8, 16].",
      "examples": [
        [
          0,
          1,
          2,
          4,
          8,
          16
        ]
      ]
    },
    "taskEntry": {
      "type": "object",
      "additionalProperties": false,
      "oneOf": [
        {
          "required": [
            "task"
          ]
        },
        {
          "required": [
            "import"
          ]
        }
      ],
      "properties": {
        "task": {
          "type": "string",
          "pattern": "^[a-z0-9_-]+/[a-z0-9_-]+$",
          "description": "Registered task id, family/name.",
          "examples": [
            "icl/induction",
            "arithmetic/addition"
          ]
        },
        "import": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "format",
            "path"
          ],
          "properties": {
            "format": {
              "enum": [
                "bbh",
                "bigbench",
                "lm-eval"
              ],
              "description": "`bbh` for a BIG-Bench-Hard task file (`{\"examples\": [{\"input\", \"target\"}]}`), `bigbench` for a BIG-bench task.json (read as BIG-bench's json_task reads it), `lm-eval` for an lm-evaluation-harness task YAML over a local JSON/JSONL file.",
              "examples": [
                "bbh"
              ]
            },
            "path": {
              "type": "string",
              "description": "The task file (JSON, or the task YAML for `lm-eval`), relative to the suite file.",
              "examples": [
                "bbh/boolean_expressions.json"
              ]
            },
            "name": {
              "type": "string",
              "pattern": "^[a-z0-9_-]+$",
              "description": "Task name inside its family (`bbh-import/<name>`, `bigbench/<name>` or `lm-eval/<name>`).",
              "default": "bbh: the file name without .json; bigbench: the task.json `name`, lower-cased; lm-eval: the YAML's `task`",
              "examples": [
                "boolean_expressions"
              ]
            },
            "prompt": {
              "type": "string",
              "description": "BBH only: the task's prompt file (cot-prompts/<task>.txt), relative to the suite file. Every item becomes a test item; answer-only prompts show its description line and up to three of its exemplars with their final answers (the paper's and lm-evaluation-harness's set-up); with `cot: true`, its worked examples precede every question. Without it, a quarter of the file's items are set aside as demonstrations.",
              "examples": [
                "bbh/cot-prompts/boolean_expressions.txt"
              ]
            },
            "cot": {
              "type": "boolean",
              "description": "BBH only: chain of thought: the prompt file's worked examples, then \"Let's think step by step.\"; the answer is read after \"So the answer is\". Needs `prompt`.",
              "default": false,
              "examples": [
                true
              ]
            },
            "maxTokens": {
              "type": "integer",
              "minimum": 1,
              "maximum": 4096,
              "description": "BBH only: the longest generation in tokens. The paper's rationales are mostly longer than 256 bytes.",
              "default": "1024 with chain of thought, 256 without (as lm-evaluation-harness)",
              "examples": [
                1024
              ]
            },
            "cotPrompt": {
              "type": "string",
              "description": "BBH only: the first form of `prompt` with `cot: true`; kept so older suites run.",
              "examples": [
                "bbh/cot-prompts/boolean_expressions.txt"
              ]
            },
            "subtask": {
              "type": "string",
              "description": "BIG-bench only: for a task.json whose subtasks live in subfolders, import only this one (by folder name). Without it, every subtask's items are imported, each formatted as its own task.json says.",
              "examples": [
                "two_digit_addition"
              ]
            },
            "kind": {
              "enum": [
                "choice",
                "generate"
              ],
              "description": "BIG-bench only: how to score a task whose `metrics` ask both for `multiple_choice_grade` and a generative metric.",
              "examples": [
                "choice"
              ]
            }
          },
          "description": "A task read from a JSON file instead of the registry: a BIG-Bench-Hard task file or a BIG-bench task.json. Only `bench` runs these (the page cannot read files).",
          "examples": [
            {
              "format": "bbh",
              "path": "bbh/boolean_expressions.json"
            }
          ]
        },
        "id": {
          "type": "string",
          "pattern": "^[a-z0-9_-]+/[a-z0-9_.=-]+$",
          "description": "Display id, unique in the suite. Needed when one task appears twice with options that do not already tell the entries apart.",
          "default": "the task id with its non-default options appended, e.g. `arithmetic/addition-digits3-cot`",
          "examples": [
            "icl/induction-unspaced"
          ]
        },
        "n": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100000,
          "description": "Test items for this task (per shot count), instead of the suite's `n`. `--n` overrides both.",
          "default": "the suite's n",
          "examples": [
            200
          ]
        },
        "shots": {
          "$ref": "#/$defs/shots",
          "description": "Shot counts for this task, instead of the suite's `shots`.",
          "default": "the suite's shots",
          "examples": [
            [
              0
            ]
          ]
        },
        "options": {
          "type": "object",
          "additionalProperties": {
            "type": [
              "string",
              "number",
              "boolean"
            ]
          },
          "description": "Options of this task (names and defaults per task are listed under \"Tasks and their options\" below); an unknown option is an error. Options that differ from the defaults become part of the id.",
          "default": {},
          "examples": [
            {
              "labels": "flipped"
            },
            {
              "digits": 3,
              "cot": true
            }
          ]
        }
      },
      "description": "One task of the suite: `task` or `import`, optionally with its own id, n, shots and options."
    }
  },
  "examples": [
    {
      "name": "icl-mini",
      "description": "Copying and label mappings, quickly.",
      "seed": 7,
      "n": 50,
      "shots": [
        0,
        4
      ],
      "tasks": [
        {
          "task": "icl/induction",
          "n": 100,
          "shots": [
            0
          ]
        },
        {
          "task": "icl/label-mapping",
          "options": {
            "labels": "flipped"
          }
        }
      ]
    }
  ]
} as const;
