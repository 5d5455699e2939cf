// A ladder of models: the source of ladder.schema.json and of the Ladder types.
// `pnpm run docs` writes it to packages/core/schemas/ladder.schema.json for editors; a test keeps the two equal.

/** Every weight type a model file may come in (transformers.js dtype names), in the order `bench init ladder` lists them. */
export const dtypeNames = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

export const ladderSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://emergence-bench.dev/schemas/ladder.schema.json",
  "title": "Emergence Bench ladder",
  "description": "A family of models of increasing size, one tokenizer and recipe.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "name",
    "models"
  ],
  "properties": {
    "$schema": {
      "type": "string",
      "description": "Path or URL of this schema, for editors that read a `$schema` key. The `# yaml-language-server: $schema=…` comment on the first line does the same and is what the shipped files use; `bench` ignores both.",
      "examples": [
        "../../packages/core/schemas/ladder.schema.json"
      ]
    },
    "name": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9.-]*$",
      "description": "Ladder name: `--ladder <name>` finds benchmarks/ladders/<name>.yaml, and results go to results/<suite>/<name>.yaml.",
      "examples": [
        "smollm2"
      ]
    },
    "description": {
      "type": "string",
      "description": "One sentence on the family; `bench list` shows it.",
      "examples": [
        "SmolLM2 instruct models, 135M–1.7B, ONNX exports for transformers.js."
      ]
    },
    "models": {
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/model"
      },
      "description": "The models, in any order: they are evaluated, tabled and plotted from smallest to largest non-embedding parameter count. Ids are unique.",
      "examples": [
        [
          {
            "id": "small",
            "source": {
              "folder": "models/small"
            },
            "params": 11520,
            "nonEmbeddingParams": 3312,
            "dtypes": [
              "fp32"
            ]
          }
        ]
      ]
    }
  },
  "$defs": {
    "model": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "from": {
          "type": "string",
          "pattern": "^[^#]+#[^#]+$",
          "description": "Reuse a model of another ladder: `<ladder>#<model id>`, where `<ladder>` is a ladder name in this file's folder or a path to a ladder file (relative to this one). Its source, sizes and dtypes are copied; keys given here (id, group, dtypes, …) replace the copied ones, and then every key below is optional.",
          "examples": [
            "tiny#tiny-3",
            "../ladders/smollm2.yaml#smollm2-135m"
          ]
        },
        "id": {
          "type": "string",
          "minLength": 1,
          "description": "Model id, unique in the ladder; shown in tables, plots and result files.",
          "examples": [
            "smollm2-135m",
            "tiny-1"
          ]
        },
        "group": {
          "type": "string",
          "minLength": 1,
          "description": "Models with the same group are seeds of one size (equal parameter counts): analysis pools them into one rung and reports the spread between them.",
          "examples": [
            "tiny-4"
          ]
        },
        "source": {
          "oneOf": [
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "folder"
              ],
              "properties": {
                "folder": {
                  "type": "string",
                  "description": "Model folder, relative to the ladder file.",
                  "examples": [
                    "../../packages/ladder-tiny/models/tiny-1"
                  ]
                }
              }
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "hub"
              ],
              "properties": {
                "hub": {
                  "type": "string",
                  "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
                  "description": "Hugging Face repo id.",
                  "examples": [
                    "HuggingFaceTB/SmolLM2-135M-Instruct"
                  ]
                },
                "revision": {
                  "type": "string",
                  "description": "Branch, tag or commit of the Hub repo.",
                  "default": "main",
                  "examples": [
                    "main"
                  ]
                }
              }
            }
          ],
          "description": "Where the model's files (config.json, tokenizer, onnx/*.onnx) are: a local `folder`, or a Hugging Face `hub` repo, read from the Hugging Face cache and downloaded there unless `--offline`.",
          "examples": [
            {
              "folder": "../../packages/ladder-tiny/models/tiny-1"
            },
            {
              "hub": "HuggingFaceTB/SmolLM2-135M-Instruct"
            }
          ]
        },
        "params": {
          "type": "integer",
          "minimum": 1,
          "description": "Total parameter count, embeddings included: an exact integer from the model's weights (sum of every tensor's elements), not the rounded size in its name. `--scale params` plots against it.",
          "examples": [
            134515008
          ]
        },
        "nonEmbeddingParams": {
          "type": "integer",
          "minimum": 1,
          "description": "Parameters outside the token embedding and unembedding matrices (Kaplan et al. 2020): the default scale axis. At most `params`.",
          "examples": [
            106203456
          ]
        },
        "trainingTokens": {
          "type": "integer",
          "minimum": 1,
          "description": "Tokens seen in training; `--scale trainingFlops` plots against 6 × params × trainingTokens and needs it for every model.",
          "examples": [
            2000000000000
          ]
        },
        "contextLength": {
          "type": "integer",
          "minimum": 1,
          "description": "Tokens the model attends to; longer prompts are cut from the left and counted as truncated in the result. At most the window in config.json.",
          "default": "config.json's n_positions or max_position_embeddings, else 2048",
          "examples": [
            8192
          ]
        },
        "dtypes": {
          "type": "array",
          "minItems": 1,
          "uniqueItems": true,
          "items": {
            "enum": dtypeNames
          },
          "description": "Weight types this model has ONNX files for, as transformers.js names them: fp32 is onnx/model.onnx, q8 onnx/model_quantized.onnx, others onnx/model_<dtype>.onnx. `--dtype` must be one of them.",
          "examples": [
            [
              "fp32",
              "q8"
            ]
          ]
        },
        "defaultDtype": {
          "enum": dtypeNames,
          "description": "Weight type used when `--dtype` is not given; one of `dtypes`.",
          "default": "the first of dtypes",
          "examples": [
            "fp32"
          ]
        }
      },
      "if": {
        "required": [
          "from"
        ]
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else; this object is data, never awaited.
      "then": {
        "required": [
          "from"
        ]
      },
      "else": {
        "required": [
          "id",
          "source",
          "params",
          "nonEmbeddingParams",
          "dtypes"
        ]
      },
      "description": "One model of the ladder: where its files are, its exact size and the weight types it has."
    }
  },
  "examples": [
    {
      "name": "my-ladder",
      "description": "Two sizes of one family.",
      "models": [
        {
          "id": "small",
          "source": {
            "folder": "models/small"
          },
          "params": 11520,
          "nonEmbeddingParams": 3312,
          "contextLength": 256,
          "dtypes": [
            "fp32",
            "q8"
          ],
          "defaultDtype": "fp32"
        },
        {
          "id": "smollm2-135m",
          "source": {
            "hub": "HuggingFaceTB/SmolLM2-135M-Instruct"
          },
          "params": 134515008,
          "nonEmbeddingParams": 106203456,
          "trainingTokens": 2000000000000,
          "dtypes": [
            "fp32",
            "q4"
          ]
        },
        {
          "from": "tiny#tiny-3"
        }
      ]
    }
  ]
} as const;
