#!/usr/bin/env python3
"""Train and export the tiny ladder: GPT-2-style byte-level models of increasing
size, one tokenizer, one recipe, one token stream; only the size changes.

    apt-get install -y python3-torch python3-onnx libopenblas0-openmp
    /usr/bin/python3 tools/ladder/train.py --corpus tools/ladder/out/corpus.txt \
        --out packages/ladder-tiny/models

Fixed seeds, two threads. Each rung is exported like a Hugging Face Optimum
export (config.json, tokenizer.json, onnx/model.onnx with past_key_values) and
gets reference outputs from torch for the loading tests.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from windows import batch_starts, window_pair, window_starts

torch.set_num_threads(2)

EOS = 256  # <|endoftext|>: separates documents and starts every prompt
VOCAB = 257
CONTEXT = 1024
# A large negative number, not -inf: a fully padded row must not become NaN.
MASK_VALUE = -1e9

# name, layers, width, heads, peak learning rate
# Two heads everywhere: on CPU the attention matrices (batch x heads x 1024^2)
# cost more than the weights, and two heads per layer are enough for induction.
RUNGS = [
    ("tiny-1", 1, 32, 2, 3e-3),
    ("tiny-2", 2, 64, 2, 3e-3),
    ("tiny-3", 3, 96, 2, 2e-3),
    ("tiny-4", 4, 128, 2, 1.5e-3),
    ("tiny-5", 5, 160, 2, 1e-3),
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


def load_stream(path):
    data = open(path, "rb").read()
    tokens = [EOS if b == 0 else b for b in data]
    # Windows start at a document start (just after an end-of-text token), like prompts do.
    windows = window_starts(tokens, EOS, CONTEXT)
    stream = torch.tensor([EOS] + tokens, dtype=torch.long)
    return stream, windows


def train_rung(name, layers, d, h, lr, stream, windows, batch, out_dir, log):
    torch.manual_seed(1234)  # same init seed and same data order for every rung
    model = TinyGPT(layers, d, h)
    total, non_emb = count_params(model)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.1)
    steps = len(windows) // batch
    warmup = max(1, steps // 20)
    order = torch.randperm(len(windows), generator=torch.Generator().manual_seed(99)).tolist()
    t0 = time.time()
    losses = []
    model.train()
    for step in range(steps):
        frac = step / max(1, steps - 1)
        cur_lr = lr * (step + 1) / warmup if step < warmup else lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = cur_lr
        pairs = [window_pair(stream, s, CONTEXT) for s in batch_starts(windows, order, step, batch)]
        x = torch.stack([p[0] for p in pairs])
        y = torch.stack([p[1] for p in pairs])
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if step % 50 == 0 or step == steps - 1:
            el = time.time() - t0
            log(f"{name} step {step}/{steps} loss {loss.item():.4f} lr {cur_lr:.2e} {((step + 1) * batch * CONTEXT) / el:.0f} tok/s")
    wall = time.time() - t0
    tokens = steps * batch * CONTEXT
    final_loss = sum(losses[-20:]) / len(losses[-20:])
    card = {
        "id": name, "layers": layers, "width": d, "heads": h, "context": CONTEXT,
        "params": total, "nonEmbeddingParams": non_emb, "tokens": tokens,
        "trainingFlops": 6 * total * tokens, "finalLoss": round(final_loss, 4),
        "bitsPerByte": round(final_loss / math.log(2), 4), "wallSeconds": round(wall, 1),
        "tokensPerSecond": round(tokens / wall), "peakLr": lr, "batch": batch, "steps": steps,
    }
    model.eval()
    ckpt_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "checkpoints")
    os.makedirs(ckpt_dir, exist_ok=True)
    torch.save({"state": model.state_dict(), "card": card}, os.path.join(ckpt_dir, f"{name}.pt"))
    export(model, card, os.path.join(out_dir, name))
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


class OnnxWrapper(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(self.model.layers)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


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

    B, S, P = 2, 3, 4
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    past = []
    for i in range(L):
        for kv in ("key", "value"):
            n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
            names_in.append(n_in)
            names_out.append(n_out)
            dyn[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[n_out] = {0: "batch_size", 2: "total_sequence_length"}
            past.append(torch.zeros(B, h, P, hd))
    args = (torch.zeros(B, S, dtype=torch.long), torch.ones(B, P + S, dtype=torch.long),
            torch.arange(P, P + S).unsqueeze(0).expand(B, S).contiguous(), *past)
    path = os.path.join(folder, "onnx", "model.onnx")
    torch.onnx.export(OnnxWrapper(model), args, path, input_names=names_in, output_names=names_out,
                      dynamic_axes=dyn, opset_version=17, do_constant_folding=True)
    quantize(path, os.path.join(folder, "onnx", "model_quantized.onnx"))
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
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--rungs", default=",".join(r[0] for r in RUNGS))
    ap.add_argument("--max-windows", type=int, default=0, help="cap on training windows (smoke tests)")
    ap.add_argument("--export-only", action="store_true", help="re-export from tools/ladder/out/checkpoints")
    args = ap.parse_args()
    if args.export_only:
        ckpt_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "checkpoints")
        for name, layers, d, h, _ in RUNGS:
            if name in args.rungs.split(","):
                saved = torch.load(os.path.join(ckpt_dir, f"{name}.pt"))
                model = TinyGPT(layers, d, h)
                model.load_state_dict(saved["state"])
                model.eval()
                export(model, saved["card"], os.path.join(args.out, name))
        return
    torch.manual_seed(0)
    stream, windows = load_stream(args.corpus)
    if args.max_windows:
        windows = windows[: args.max_windows]
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, "..", "training-log.txt")
    logf = open(log_path, "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    log(f"corpus {args.corpus}: {len(stream)} tokens, {len(windows)} windows of {CONTEXT}")
    cards = []
    for name, layers, d, h, lr in RUNGS:
        if name in args.rungs.split(","):
            cards.append(train_rung(name, layers, d, h, lr, stream, windows, args.batch, args.out, log))
    json.dump(cards, open(os.path.join(args.out, "..", "ladder.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
