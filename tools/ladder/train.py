#!/usr/bin/env python3
"""Train and export the tiny ladder: GPT-2-style byte-level models of increasing
size, one tokenizer, one recipe, one token stream; only the size changes.

    apt-get install -y python3-torch python3-onnx libopenblas0-openmp
    /usr/bin/python3 tools/ladder/train.py --rungs tiny-3 --out packages/ladder-tiny/models

Two phases (README.md says why): phase one packs short documents (copying at
random offsets, sums, short mappings; out/short.txt) into 128-token rows,
phase two every format at 256 tokens (out/full.txt), every other step
replaying phase one's rows. Each rung is exported
like a Hugging Face Optimum export (config.json, tokenizer.json,
onnx/model.onnx with past_key_values) and gets reference outputs from torch
for the loading tests. Checkpoints every few hundred steps: a stopped run
resumes where it was. Held-out probes (out/probes.jsonl) are scored every
`--eval-every` steps into out/curves/<rung>-s<seed>.jsonl, the card's curves.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from logits_to_keep import main as add_logits_to_keep
from onnx_export import export_decoder
from windows import batch_rows, pack_rows, split_documents

EOS = 256  # <|endoftext|>: separates documents and starts every prompt
VOCAB = 257
CONTEXT = 256  # the position table; phase one uses its first 128 positions
SHORT_CONTEXT = 128
PAD = -100  # ignored targets after a row's last document
# A large negative number, not -inf: a fully padded row must not become NaN.
MASK_VALUE = -1e9
HERE = os.path.dirname(os.path.abspath(__file__))

# name, layers, width, heads. Sizes are chosen so the copying threshold falls
# inside the ladder: one layer cannot form an induction head however wide
# (Olsson et al. 2022), so the three one-layer rungs are the control, the
# widest of them larger than the smallest two-layer rung; two-layer and deeper
# models form it within the step budget.
RUNGS = [
    ("tiny-1", 1, 16, 2),
    ("tiny-2", 1, 32, 2),
    ("tiny-3", 1, 64, 2),
    ("tiny-4", 2, 48, 2),
    ("tiny-5", 2, 64, 2),
    ("tiny-6", 3, 96, 2),
    ("tiny-7", 4, 128, 2),
]

class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x, bias, past_k=None, past_v=None):
        B, S, D = x.shape
        hd = D // self.h
        q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
        q = q.view(B, S, self.h, hd).transpose(1, 2)
        k = k.view(B, S, self.h, hd).transpose(1, 2)
        v = v.view(B, S, self.h, hd).transpose(1, 2)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd)) + bias
        att = att.softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, S, D)
        x = x + self.c_proj(y)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, k, v


class TinyGPT(nn.Module):
    def __init__(self, layers, d, h):
        super().__init__()
        self.layers, self.d, self.h = layers, d, h
        self.wte = nn.Embedding(VOCAB, d)
        self.wpe = nn.Embedding(CONTEXT, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.apply(self._init)
        with torch.no_grad():  # sinusoid-initialised (still learned) positions: offsets are told apart from step 0
            pos = torch.arange(CONTEXT, dtype=torch.float32).unsqueeze(1)
            freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
            table = torch.zeros(CONTEXT, d)
            table[:, 0::2] = torch.sin(pos * freq)
            table[:, 1::2] = torch.cos(pos * freq[: d // 2])
            self.wpe.weight.copy_(0.1 * table)
        for b in self.blocks:  # GPT-2's scaled init of residual projections
            nn.init.normal_(b.c_proj.weight, std=0.02 / math.sqrt(2 * layers))
            nn.init.normal_(b.mlp_proj.weight, std=0.02 / math.sqrt(2 * layers))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        B, S = input_ids.shape
        P = 0 if past is None else past[0][0].shape[2]
        if attention_mask is None:
            attention_mask = torch.ones(B, P + S, dtype=torch.long)
        if position_ids is None:
            position_ids = torch.arange(P, P + S).unsqueeze(0).expand(B, S)
        # Causal mask over absolute key positions, combined with key padding.
        q_pos = torch.arange(S).unsqueeze(1) + P
        k_pos = torch.arange(P + S).unsqueeze(0)
        allowed = (k_pos <= q_pos).unsqueeze(0) & (attention_mask.unsqueeze(1) > 0)
        bias = torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), MASK_VALUE)).unsqueeze(1)
        x = self.wte(input_ids) + self.wpe(position_ids)
        presents = []
        for i, blk in enumerate(self.blocks):
            pk, pv = (None, None) if past is None else past[i]
            x, k, v = blk(x, bias, pk, pv)
            presents.append((k, v))
        logits = self.ln_f(x) @ self.wte.weight.t()
        return logits, presents



def count_params(model):
    total = sum(p.numel() for p in model.parameters())
    embedding = model.wte.weight.numel() + model.wpe.weight.numel()
    return total, total - embedding


def load_rows(path, context):
    data = open(path, "rb").read()
    tokens = [EOS if b == 0 else b for b in data]
    rows = pack_rows(split_documents(tokens, EOS), EOS, context, PAD)
    x = torch.tensor([r[0] for r in rows], dtype=torch.long)
    y = torch.tensor([r[1] for r in rows], dtype=torch.long)
    return x, y


def learning_rate(step, steps1, steps2, peak, warmup=100):
    """Warm-up, constant through phase one (transitions need many steps at a
    useful rate), then from half the peak down to 5% over phase two: entering
    phase two at the full peak erased what phase one built in the smaller
    rungs (copying 0.64 → 0.08 exact match in the 2-layer width-48 rung)."""
    if step < warmup:
        return peak * (step + 1) / warmup
    if step < steps1:
        return peak
    frac = (step - steps1) / max(1, steps2 - 1)
    return peak * (0.05 + 0.45 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))


def phase_of(step, steps1):
    """Which corpus a step reads: phase one's short rows until steps1, then
    phase two alternates the full corpus with phase one's rows (a replay, so
    the mechanisms phase one formed keep paying off)."""
    if step < steps1:
        return 0
    return 1 if (step - steps1) % 2 == 0 else 0


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


@torch.no_grad()
def score_probes(model, probes, max_new=40):
    """Greedy answers to the held-out probes, batched per set with left
    padding; exact match and character similarity as the harness scores them."""
    model.eval()
    out = {}
    for name in sorted({p["set"] for p in probes}):
        items = [p for p in probes if p["set"] == name]
        seqs = [[EOS] + list(p["prompt"].encode()) for p in items]
        n = max(len(s) for s in seqs)
        ids = torch.tensor([[EOS] * (n - len(s)) + s for s in seqs])
        mask = torch.tensor([[0] * (n - len(s)) + [1] * len(s) for s in seqs])
        done = [False] * len(items)
        gen = [[] for _ in items]
        budget = min(max_new, CONTEXT - n)
        for _ in range(budget):
            pos = (mask.cumsum(-1) - 1).clamp(min=0)
            logits, _ = model(ids, mask, pos)
            nxt = logits[:, -1].argmax(-1)
            for i, t in enumerate(nxt.tolist()):
                if not done[i]:
                    if t == EOS or t == 10:
                        done[i] = True
                    else:
                        gen[i].append(t)
            if all(done):
                break
            ids = torch.cat([ids, nxt.unsqueeze(1)], 1)
            mask = torch.cat([mask, torch.ones(len(items), 1, dtype=torch.long)], 1)
        exact, sim = 0.0, 0.0
        for g, p in zip(gen, items):
            answer = bytes(g).decode("utf-8", "replace").strip()
            target = p["target"].strip()
            exact += answer == target
            sim += 1 - levenshtein(answer, target) / max(len(answer), len(target), 1)
        out[name] = {"exact": round(exact / len(items), 4), "chars": round(sim / len(items), 4)}
    model.train()
    return out


def train_rung(spec, args, data, log):
    name, layers, d, h = spec
    tag = f"{name}-s{args.seed}"
    torch.manual_seed(1234 + args.seed)  # the same init seed and data order for every rung
    model = TinyGPT(layers, d, h)
    total, non_emb = count_params(model)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.1)
    steps = args.steps1 + args.steps2
    ckpt_dir = os.path.join(HERE, "out", "checkpoints")
    curve_dir = os.path.join(HERE, "out", "curves")
    os.makedirs(ckpt_dir, exist_ok=True)
    os.makedirs(curve_dir, exist_ok=True)
    ckpt = os.path.join(ckpt_dir, f"{tag}.pt")
    curve_path = os.path.join(curve_dir, f"{tag}.jsonl")
    start, wall_before = 0, 0.0
    if os.path.exists(ckpt):
        saved = torch.load(ckpt)
        model.load_state_dict(saved["state"])
        opt.load_state_dict(saved["opt"])
        start, wall_before = saved["step"], saved["wall"]
        log(f"{tag}: resumed at step {start}")
    elif os.path.exists(curve_path):
        os.remove(curve_path)  # a curve without its checkpoint belongs to an abandoned run
    t0 = time.time()
    model.train()
    losses = []
    for step in range(start, steps):
        phase = phase_of(step, args.steps1)
        x_all, y_all = data[phase]
        # Phase-one rows continue their own order through phase two's replay steps.
        replayed = (step - args.steps1 + 1) // 2
        k = step if step < args.steps1 else (args.steps1 + replayed if phase == 0 else (step - args.steps1) // 2)
        idx = batch_rows(len(x_all), args.batch[phase], k, args.seed * 2 + phase)
        x, y = x_all[idx], y_all[idx]
        lr = learning_rate(step, args.steps1, args.steps2, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1), ignore_index=PAD)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        done = step + 1
        if done % args.eval_every == 0 or done == steps:
            probes = score_probes(model, data["probes"]) if data["probes"] else {}
            wall = wall_before + time.time() - t0
            point = {"step": done, "phase": 1 if step < args.steps1 else 2, "loss": round(sum(losses[-50:]) / len(losses[-50:]), 4), "lr": lr, "wall": round(wall, 1), "probes": probes}
            with open(curve_path, "a") as f:
                f.write(json.dumps(point) + "\n")
            log(f"{tag} " + json.dumps(point))
        if done % args.ckpt_every == 0 or done == steps:
            torch.save({"state": model.state_dict(), "opt": opt.state_dict(), "step": done, "wall": wall_before + time.time() - t0}, ckpt)
    wall = wall_before + time.time() - t0
    replay = args.steps2 // 2
    tokens = (args.steps1 + replay) * args.batch[0] * SHORT_CONTEXT + (args.steps2 - replay) * args.batch[1] * CONTEXT
    final_loss = sum(losses[-50:]) / max(1, len(losses[-50:])) if losses else float("nan")
    card = {
        "id": name, "seed": args.seed, "layers": layers, "width": d, "heads": h, "context": CONTEXT,
        "params": total, "nonEmbeddingParams": non_emb, "tokens": tokens,
        "trainingFlops": 6 * total * tokens, "finalLoss": round(final_loss, 4),
        "bitsPerByte": round(final_loss / math.log(2), 4), "wallSeconds": round(wall, 1),
        "peakLr": args.lr, "batch": list(args.batch), "steps": [args.steps1, args.steps2],
        "probes": score_probes(model, data["probes"]) if data["probes"] else {},
    }
    model.eval()
    if args.seed == 0 and not args.no_export:
        export(model, card, os.path.join(args.out, name))
    log(json.dumps(card))
    return card


# ---------------------------------------------------------------- export

def bytes_to_unicode():
    """GPT-2's reversible byte → printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def tokenizer_json():
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: b for b in range(256)}
    vocab["<|endoftext|>"] = EOS
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": EOS, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        # Every sequence starts with <|endoftext|>, as every training document does.
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [EOS], "tokens": ["<|endoftext|>"]}},
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": []},
    }


def export(model, card, folder):
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    L, d, h = model.layers, model.d, model.h
    hd = d // h
    config = {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB, "n_positions": CONTEXT,
        "n_ctx": CONTEXT, "n_embd": d, "n_layer": L, "n_head": h, "n_inner": 4 * d, "activation_function": "gelu_new",
        "bos_token_id": EOS, "eos_token_id": EOS, "pad_token_id": EOS, "tie_word_embeddings": True,
        "layer_norm_epsilon": 1e-5, "use_cache": True, "torch_dtype": "float32",
        "transformers.js_config": {"dtype": "fp32", "use_external_data_format": False},
    }
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump(tokenizer_json(), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump({
        "tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>", "unk_token": None, "padding_side": "left", "add_prefix_space": False,
        "clean_up_tokenization_spaces": False, "model_max_length": CONTEXT,
    }, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)
    json.dump({"bos_token_id": EOS, "eos_token_id": EOS, "pad_token_id": EOS, "do_sample": False, "max_length": CONTEXT},
              open(os.path.join(folder, "generation_config.json"), "w"), indent=2)
    json.dump(card, open(os.path.join(folder, "training.json"), "w"), indent=2)

    path = os.path.join(folder, "onnx", "model.onnx")
    export_decoder(model, path, L, h, hd)
    quantize(path, os.path.join(folder, "onnx", "model_quantized.onnx"))
    # The num_logits_to_keep input recent Hub exports have: the head on the last k positions only.
    add_logits_to_keep([path, os.path.join(folder, "onnx", "model_quantized.onnx")])
    write_reference(model, folder)


def quantize(src, dst):
    """Weight-only int8: each MatMul weight becomes int8 plus a per-column
    scale, dequantised in the graph. Uses only the `onnx` package (the
    onnxruntime Python package is not installable here)."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    m = onnx.load(src)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    new_nodes = []
    for node in g.node:
        if node.op_type in ("MatMul", "Gemm"):
            for j, name in enumerate(node.input):
                t = inits.get(name)
                if t is None or len(t.dims) != 2 or t.dims[0] * t.dims[1] < 1024:
                    continue
                w = numpy_helper.to_array(t).astype(np.float32)
                axis = 1 if node.op_type == "MatMul" else 0
                scale = np.maximum(np.abs(w).max(axis=0 if axis == 1 else 1), 1e-8) / 127.0
                q = np.clip(np.round(w / (scale[None, :] if axis == 1 else scale[:, None])), -127, 127).astype(np.int8)
                g.initializer.remove(t)
                del inits[name]
                qn, sn, zn = f"{name}_q", f"{name}_scale", f"{name}_zero"
                g.initializer.extend([numpy_helper.from_array(q, qn), numpy_helper.from_array(scale.astype(np.float32), sn),
                                      numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), zn)])
                new_nodes.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [name], axis=axis, name=f"{name}_dq"))
        new_nodes.append(node)
    del g.node[:]
    g.node.extend(new_nodes)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


REFERENCE_PROMPTS = [
    "Review: the food was great\nLabel:",
    "Copy: a b c d e f | a b",
    "Q: What is 12 plus 35?\nA:",
]


@torch.no_grad()
def write_reference(model, folder):
    """Torch's own outputs on fixed prompts: greedy continuations and the
    log-probabilities of a left-padded batch, for the transformers.js tests."""
    encode = lambda s: [EOS] + list(s.encode("utf-8"))
    greedy = []
    for p in REFERENCE_PROMPTS:
        ids = encode(p)
        out = []
        for _ in range(12):
            logits, _ = model(torch.tensor([ids + out]))
            out.append(int(logits[0, -1].argmax()))
        greedy.append({"prompt": p, "tokens": out})
    seqs = [encode(p) for p in REFERENCE_PROMPTS]
    n = max(len(s) for s in seqs)
    ids = torch.tensor([[EOS] * (n - len(s)) + s for s in seqs])
    mask = torch.tensor([[0] * (n - len(s)) + [1] * len(s) for s in seqs])
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, _ = model(ids, mask, pos)
    lp = logits.log_softmax(-1)
    # Log-probability of each real token after the first, given what precedes it.
    batch = []
    for b, s in enumerate(seqs):
        off = n - len(s)
        batch.append([float(lp[b, off + i - 1, s[i]]) for i in range(1, len(s))])
    json.dump({"greedy": greedy, "paddedLogprobs": {"prompts": REFERENCE_PROMPTS, "logprobs": batch}},
              open(os.path.join(folder, "reference.json"), "w"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", default=os.path.join(HERE, "out", "short.txt"))
    ap.add_argument("--full", default=os.path.join(HERE, "out", "full.txt"))
    ap.add_argument("--probes", default=os.path.join(HERE, "out", "probes.jsonl"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "packages", "ladder-tiny", "models"))
    ap.add_argument("--rungs", default=",".join(r[0] for r in RUNGS))
    ap.add_argument("--seed", type=int, default=0, help="0 is the shipped ladder; others only train (seed spread)")
    ap.add_argument("--steps1", type=int, default=5000)
    ap.add_argument("--steps2", type=int, default=1000)
    ap.add_argument("--batch1", type=int, default=32)
    ap.add_argument("--batch2", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--ckpt-every", type=int, default=250)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--export-only", action="store_true", help="re-export seed 0 from tools/ladder/out/checkpoints")
    args = ap.parse_args()
    args.batch = (args.batch1, args.batch2)
    torch.set_num_threads(args.threads)
    wanted = args.rungs.split(",")
    unknown = [r for r in wanted if r not in {s[0] for s in RUNGS}]
    if unknown:
        ap.error(f"unknown rung(s) {unknown}; known: {[s[0] for s in RUNGS]}")
    if args.export_only:
        for spec in RUNGS:
            if spec[0] in wanted:
                saved = torch.load(os.path.join(HERE, "out", "checkpoints", f"{spec[0]}-s0.pt"))
                model = TinyGPT(*spec[1:])
                model.load_state_dict(saved["state"])
                model.eval()
                card = json.load(open(os.path.join(args.out, spec[0], "training.json")))
                export(model, card, os.path.join(args.out, spec[0]))
        return
    data = {0: load_rows(args.short, SHORT_CONTEXT), 1: load_rows(args.full, CONTEXT) if args.steps2 else (None, None)}
    data["probes"] = [json.loads(l) for l in open(args.probes)] if os.path.exists(args.probes) else []
    os.makedirs(os.path.join(HERE, "out", "cards"), exist_ok=True)
    logf = open(os.path.join(HERE, "out", f"train-s{args.seed}.log"), "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    log(f"phase one: {len(data[0][0])} rows of {SHORT_CONTEXT}; phase two: {0 if data[1][0] is None else len(data[1][0])} rows of {CONTEXT}")
    for spec in RUNGS:
        if spec[0] in wanted:
            card = train_rung(spec, args, data, log)
            json.dump(card, open(os.path.join(HERE, "out", "cards", f"{spec[0]}-s{args.seed}.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
