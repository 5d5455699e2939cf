// What a run writes: the source of result.schema.json and of the Result type.
// `pnpm run docs` writes it to packages/core/schemas/result.schema.json for editors; a test keeps the two equal.
import { metricNames } from '../metric-registry.js';

export const resultSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://emergence-bench.dev/schemas/result.schema.json",
  "title": "Emergence Bench result",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "schemaVersion",
    "createdAt",
    "suite",
    "ladder",
    "environment",
    "tasks"
  ],
  "properties": {
    "$schema": {
      "type": "string",
      "description": "Path of this schema, for editors; `bench` writes it as the `# yaml-language-server` comment instead."
    },
    "schemaVersion": {
      "const": 1,
      "description": "Version of this format; 1."
    },
    "createdAt": {
      "type": "string",
      "description": "When the result was written (ISO 8601). Not compared by `bench compare`."
    },
    "suite": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name",
        "seed",
        "n",
        "shots"
      ],
      "properties": {
        "name": {
          "type": "string",
          "description": "Suite name."
        },
        "seed": {
          "type": "integer",
          "description": "Seed the test items were drawn with."
        },
        "n": {
          "type": "integer",
          "description": "Test items per task and shot count (a task entry may have had its own)."
        },
        "shots": {
          "type": "array",
          "items": {
            "type": "integer"
          },
          "description": "The suite's shot counts."
        }
      },
      "description": "The suite as run, after `--n` and `--seed` overrides."
    },
    "ladder": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name",
        "models"
      ],
      "properties": {
        "name": {
          "type": "string",
          "description": "Ladder name."
        },
        "models": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "id",
              "params",
              "nonEmbeddingParams",
              "trainingFlops",
              "status"
            ],
            "properties": {
              "id": {
                "type": "string",
                "description": "Model id from the ladder."
              },
              "group": {
                "type": "string",
                "description": "The size this model is a seed of (the ladder's `group`); absent when it is its own."
              },
              "params": {
                "type": "integer",
                "description": "Total parameters (from the ladder)."
              },
              "nonEmbeddingParams": {
                "type": "integer",
                "description": "Parameters outside the embedding and unembedding (from the ladder); the default scale axis."
              },
              "trainingFlops": {
                "type": [
                  "number",
                  "null"
                ],
                "description": "6 × params × trainingTokens, or null when the ladder gives no trainingTokens."
              },
              "status": {
                "enum": [
                  "ok",
                  "failed"
                ],
                "description": "`ok`, or `failed` when the model did not load or a task failed on it."
              },
              "error": {
                "type": "string",
                "description": "Why it failed, with the fix."
              }
            }
          },
          "description": "Every model of the ladder, smallest first, including the ones that failed."
        }
      },
      "description": "The ladder as run, smallest model first."
    },
    "environment": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "device",
        "dtype",
        "runtime",
        "git",
        "shard"
      ],
      "properties": {
        "device": {
          "type": "string",
          "description": "`cpu`, `wasm`, `wasm-browser` or `webgpu`."
        },
        "dtype": {
          "type": "string",
          "description": "Weight type the models ran in; several, comma-separated, when models ran in different ones (each its defaultDtype)."
        },
        "runtime": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Versions of what computed the numbers (transformers.js, onnxruntime, browser, threads, WebGPU adapter)."
        },
        "git": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "commit",
            "dirty"
          ],
          "properties": {
            "commit": {
              "type": "string",
              "description": "Commit hash."
            },
            "dirty": {
              "type": "boolean",
              "description": "Whether the working tree had uncommitted changes."
            }
          },
          "description": "The commit of the code that ran. Not compared by `bench compare`."
        },
        "shard": {
          "type": [
            "string",
            "null"
          ],
          "description": "`i/n` for a shard's partial result, null for a whole run."
        }
      },
      "description": "Where the numbers come from: enough to reproduce them."
    },
    "tasks": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/task"
      },
      "description": "One entry per task of the suite, in suite order."
    }
  },
  "$defs": {
    "metricName": {
      "enum": metricNames
    },
    "interval": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "value",
        "low",
        "high"
      ],
      "properties": {
        "value": {
          "type": "number",
          "description": "The estimate."
        },
        "low": {
          "type": "number",
          "description": "Lower end of the 95% interval."
        },
        "high": {
          "type": "number",
          "description": "Upper end of the 95% interval."
        }
      },
      "description": "A value with its 95% interval: Wilson for proportions, bootstrap over examples for other metrics."
    },
    "metrics": {
      "type": "object",
      "propertyNames": {
        "$ref": "#/$defs/metricName"
      },
      "additionalProperties": {
        "$ref": "#/$defs/interval"
      },
      "description": "Metric name → value with its 95% interval."
    },
    "curve": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "breakthroughness",
        "linearity",
        "threshold"
      ],
      "properties": {
        "breakthroughness": {
          "type": [
            "number",
            "null"
          ],
          "description": "BIG-bench breakthroughness (Srivastava et al. 2022, app. B): signed range over the root median squared step; large for a jump. Null with fewer than three rungs."
        },
        "linearity": {
          "type": [
            "number",
            "null"
          ],
          "description": "BIG-bench linearity: the same numerator over the root mean square step; large for steady growth."
        },
        "threshold": {
          "oneOf": [
            {
              "type": "null"
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "rung",
                "from",
                "to",
                "log10Scale",
                "low",
                "high"
              ],
              "properties": {
                "rung": {
                  "type": "integer",
                  "description": "Index of the first rung above the step (rungs sorted by scale)."
                },
                "from": {
                  "type": "number",
                  "description": "log10 scale of the rung below the step."
                },
                "to": {
                  "type": "number",
                  "description": "log10 scale of the rung above the step."
                },
                "log10Scale": {
                  "type": [
                    "number",
                    "null"
                  ],
                  "description": "log10 of the sigmoid midpoint (halfway from chance to plateau); null unless a rung lies on the rise."
                },
                "low": {
                  "type": [
                    "number",
                    "null"
                  ],
                  "description": "Lower end of the midpoint's bootstrap interval; null when open."
                },
                "high": {
                  "type": [
                    "number",
                    "null"
                  ],
                  "description": "Upper end of the midpoint's bootstrap interval; null when open."
                }
              }
            }
          ],
          "description": "Where the step is, when one exceeds the noise; null otherwise."
        }
      },
      "description": "Statistics of one metric's curve across the ladder."
    },
    "task": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "version",
        "kind",
        "chance",
        "discrete",
        "continuous",
        "models",
        "analysis"
      ],
      "properties": {
        "id": {
          "type": "string",
          "description": "Task id as shown (family/name plus non-default options, or the suite entry's id)."
        },
        "version": {
          "type": "integer",
          "description": "Task version: scores of different versions are not comparable."
        },
        "kind": {
          "enum": [
            "generate",
            "choice"
          ],
          "description": "`generate` (greedy generation, scored on the text) or `choice` (log-likelihood of each choice)."
        },
        "chance": {
          "type": "number",
          "description": "The discrete metric's score by guessing."
        },
        "discrete": {
          "$ref": "#/$defs/metricName",
          "description": "The all-or-nothing metric thresholds are read from."
        },
        "continuous": {
          "$ref": "#/$defs/metricName",
          "description": "The continuous metric from the same samples (the mirage check, Schaeffer et al. 2023)."
        },
        "models": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "model",
              "n",
              "metrics",
              "shots",
              "truncated"
            ],
            "properties": {
              "model": {
                "type": "string",
                "description": "Model id."
              },
              "n": {
                "type": "integer",
                "description": "Samples scored at the headline (largest) shot count."
              },
              "metrics": {
                "$ref": "#/$defs/metrics",
                "description": "Every metric at the headline shot count, with its 95% interval."
              },
              "truncated": {
                "type": "integer",
                "description": "Prompts cut from the left to fit the model's context."
              },
              "shots": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "k",
                    "n",
                    "metrics"
                  ],
                  "properties": {
                    "k": {
                      "type": "integer",
                      "description": "Shot count (demonstrations in the prompt)."
                    },
                    "n": {
                      "type": "integer",
                      "description": "Samples scored at this shot count."
                    },
                    "metrics": {
                      "$ref": "#/$defs/metrics",
                      "description": "Every metric at this shot count."
                    }
                  }
                },
                "description": "The same per shot count."
              }
            }
          },
          "description": "Scores per model."
        },
        "groups": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "group",
              "models",
              "n",
              "metric",
              "seedMin",
              "seedMax",
              "seedSd"
            ],
            "properties": {
              "group": {
                "type": "string",
                "description": "Group name."
              },
              "models": {
                "type": "array",
                "items": {
                  "type": "string"
                },
                "description": "Its seeds (model ids)."
              },
              "n": {
                "type": "integer",
                "description": "Samples over every seed."
              },
              "metric": {
                "$ref": "#/$defs/interval",
                "description": "The discrete metric over every seed's samples."
              },
              "seedMin": {
                "type": "number",
                "description": "Lowest seed's own score."
              },
              "seedMax": {
                "type": "number",
                "description": "Highest seed's own score."
              },
              "seedSd": {
                "type": "number",
                "description": "Standard deviation of the seeds' scores."
              }
            }
          },
          "description": "Present when some size has several seeds (ladder `group`): the pooled rungs the analysis uses."
        },
        "analysis": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "scaleAxis",
            "discrete",
            "continuous",
            "verdict",
            "reason",
            "powerLaw"
          ],
          "properties": {
            "scaleAxis": {
              "enum": [
                "params",
                "nonEmbeddingParams",
                "trainingFlops"
              ],
              "description": "The x axis of the analysis (`--scale`)."
            },
            "discrete": {
              "$ref": "#/$defs/curve",
              "description": "Curve statistics of the discrete metric."
            },
            "continuous": {
              "$ref": "#/$defs/curve",
              "description": "Curve statistics of the continuous metric."
            },
            "verdict": {
              "enum": [
                "emergent",
                "metric-induced",
                "smooth",
                "non-monotone",
                "flat",
                "insufficient-data"
              ],
              "description": "The task's verdict (README, \"How verdicts are decided\")."
            },
            "reason": {
              "type": "string",
              "description": "The verdict in a sentence, with the numbers behind it."
            },
            "powerLaw": {
              "oneOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "alpha",
                    "alphaLow",
                    "alphaHigh",
                    "log10Nc",
                    "offset",
                    "offsetLow",
                    "offsetHigh",
                    "offsetNote",
                    "nextRungPrediction"
                  ],
                  "properties": {
                    "alpha": {
                      "type": "number",
                      "description": "Exponent α."
                    },
                    "alphaLow": {
                      "type": "number",
                      "description": "Lower end of α's 95% interval."
                    },
                    "alphaHigh": {
                      "type": "number",
                      "description": "Upper end of α's 95% interval."
                    },
                    "log10Nc": {
                      "type": "number",
                      "description": "log10 of the scale constant N_c."
                    },
                    "offset": {
                      "type": "number",
                      "description": "Irreducible loss E; 0 where the data do not support one."
                    },
                    "offsetLow": {
                      "type": "number",
                      "description": "Lower end of E's 95% interval."
                    },
                    "offsetHigh": {
                      "type": "number",
                      "description": "Upper end of E's 95% interval."
                    },
                    "offsetNote": {
                      "type": "string",
                      "description": "How E was decided."
                    },
                    "nextRungPrediction": {
                      "type": [
                        "number",
                        "null"
                      ],
                      "description": "Predicted loss at the next rung: the largest scale times the ratio of the last two."
                    }
                  }
                }
              ],
              "description": "Fit of the continuous loss to L = E + (N_c/N)^α where the data allow one; null otherwise."
            }
          },
          "description": "The emergence analysis."
        }
      },
      "description": "One task's scores on every model and its analysis."
    }
  },
  "description": "What `bench` writes after a run: the suite and ladder as run, the environment, and per task × model every metric with its 95% interval, per-shot breakdowns and the emergence analysis. Deterministic: two runs with the same suite, seed, models, dtype and device differ only in createdAt and environment.git."
} as const;
