#!/usr/bin/env python3
"""Architecture twins of the Hub ladders: tiny random-weight models shaped like
SmolLM2 (llama), Qwen2.5 (qwen2), Pythia (gpt_neox) and GPT-2 (gpt2), with a
real tokenizer of the same kind each, exported the way the Hub's ONNX repos
are (file names under onnx/, input and output names, key/value shapes), plus
torch's own log-probabilities for the harness tests to match.

Nothing is trained: the twins prove the Hub code path (download, cache,
tokenizers, grouped-query attention, rotary positions, fp16 and int8 files),
not any ability. The modules below follow Hugging Face transformers' modeling
code for each architecture (transformers itself is not installable here).

    /usr/bin/python3 tools/hub-twins/make_twins.py   # ~20 s on 2 cores

writes packages/backends/src/__fixtures__/hub-twins/<twin>/ (one Hub repo each)
and <twin>.reference.json next to it. Deterministic: same torch, same bytes.
"""
import json
import math
import os
import re
import sys
from collections import Counter

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "packages", "backends", "src", "__fixtures__", "hub-twins")
sys.path.insert(0, os.path.join(HERE, "..", "ladder"))
from logits_to_keep import main as add_logits_to_keep  # noqa: E402  (one tool for the ladder and the twins)
from onnx_export import export_decoder  # noqa: E402
CONTEXT = 256
MERGES = 160
# Masked attention scores: finite and representable in float16, so a fully
# padded query row stays a (harmless) uniform row instead of NaN.
MASK_VALUE = -1.0e4

CORPUS = """Review: the food was great and the service was friendly.
Label: positive
Review: the room was dirty and the staff were rude.
Label: negative
Q: What is 12 plus 35?
A: 47
Q: What is 208 plus 119?
A: 327
Copy: a b c d e f | a b c d e f
Translate the word into French: cat -> chat, dog -> chien, house -> maison.
Let's think step by step. First we add the ones, then the tens, then the hundreds.
The quick brown fox jumps over the lazy dog. The answer is yes. The answer is no.
Instruction: write the word hello in capital letters.
Response: HELLO
"""

REFERENCE_PROMPTS = [
    "Review: the food was great\nLabel:",
    "Q: What is 12 plus 35?\nA: 47",
    "Copy: a b c d e f | a b",
    "Instruction: say héllo 👋\nResponse:",
]

SPLITS = [
    ("Q: What is 12 plus 35?\n", "A: 47"),
    ("Q: What is 12 plus 35?\n", "A: 4"),
    ("Review: the food was great\nLabel: ", "positive"),
    ("Review: the food was great\nLabel: ", "negative"),
    # The llama twin merges ":▁" + "p": the boundary falls inside a token.
    ("Review: the food was great\nLabel:", " positive"),
]

# ---------------------------------------------------------------- tokenizers


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


B2U = bytes_to_unicode()
# The Hub tokenizers' pre-tokenizer patterns, and an ASCII reading of each for
# Python's re (\p{L} → letters, \p{N} → digits; the reference prompts are
# ASCII where it matters, and the tests check transformers.js agrees).
GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
QWEN2_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"


def py_pattern(p):
    p = p.replace(r"[^\s\p{L}\p{N}]", r"[^\s\w]|_").replace(r"[^\r\n\p{L}\p{N}]", r"[^\r\n\w]")
    p = p.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
    return re.compile(p)


def bpe_words(words, merges_rank):
    """Standard BPE: repeatedly merge the lowest-ranked adjacent pair."""
    out = []
    for w in words:
        parts = list(w)
        while len(parts) > 1:
            best = None
            for i in range(len(parts) - 1):
                r = merges_rank.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                break
            i = best[1]
            parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
        out.extend(parts)
    return out


def train_merges(words, n):
    """Merges learnt from word counts (symbols are strings), most frequent pair first."""
    counts = Counter(tuple(w) for w in words)
    merges = []
    for _ in range(n):
        pairs = Counter()
        for w, c in counts.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        # Most frequent, ties broken by the pair itself: deterministic.
        (a, b), _ = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        merges.append((a, b))
        new = Counter()
        for w, c in counts.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new[tuple(out)] += c
        counts = new
    return merges


class ByteLevelBPE:
    """GPT-2 / Pythia / Qwen2 style: regex split, bytes as printable characters, merges."""

    def __init__(self, pattern, specials_before, specials_after):
        self.pattern = pattern
        self.regex = py_pattern(pattern)
        words = [self.to_units(w) for w in self.regex.findall(CORPUS)]
        self.merges = train_merges(words, MERGES)
        self.rank = {m: i for i, m in enumerate(self.merges)}
        vocab = {}
        for s in specials_before:
            vocab[s] = len(vocab)
        for b in range(256):
            vocab[B2U[b]] = len(vocab)
        for a, b in self.merges:
            vocab.setdefault(a + b, len(vocab))
        for s in specials_after:
            vocab[s] = len(vocab)
        self.vocab = vocab

    @staticmethod
    def to_units(word):
        return "".join(B2U[b] for b in word.encode("utf-8"))

    def encode(self, text):
        pieces = bpe_words([self.to_units(w) for w in self.regex.findall(text)], self.rank)
        return [self.vocab[p] for p in pieces]

    def model_json(self):
        return {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": self.vocab, "merges": [[a, b] for a, b in self.merges]}


class ByteFallbackBPE:
    """Llama / SentencePiece style: spaces as ▁, a prepended ▁, characters merged,
    anything outside the vocabulary as <0xNN> byte tokens; <s> starts every sequence."""

    def __init__(self):
        # SentencePiece pieces never merge across a newline here: train on lines.
        words = [list(self.normalize(line)) for line in CORPUS.split("\n") if line]
        self.merges = train_merges(words, MERGES)
        self.rank = {m: i for i, m in enumerate(self.merges)}
        vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
        for b in range(256):
            vocab[f"<0x{b:02X}>"] = len(vocab)
        chars = sorted(set("".join("".join(w) for w in words)))
        for c in chars:
            vocab.setdefault(c, len(vocab))
        for a, b in self.merges:
            vocab.setdefault(a + b, len(vocab))
        self.vocab = vocab

    @staticmethod
    def normalize(text):
        return "▁" + text.replace(" ", "▁")

    def encode(self, text):
        units = []
        for c in self.normalize(text):
            if c in self.vocab:
                units.append(c)
            else:
                units.extend(f"<0x{b:02X}>" for b in c.encode("utf-8"))
        # Byte tokens take part in no merge, so merging the mixed list is what the tokenizer does.
        return [1] + [self.vocab[p] for p in bpe_words([units], self.rank)]

    def model_json(self):
        return {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                "vocab": self.vocab, "merges": [[a, b] for a, b in self.merges]}


def added(token_id, content):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}


def tokenizer_files(kind):
    """(tokenizer object, tokenizer.json, tokenizer_config.json, special ids) per Hub family."""
    if kind == "gpt2":
        tok = ByteLevelBPE(GPT2_PATTERN, [], ["<|endoftext|>"])
        eos = tok.vocab["<|endoftext|>"]
        tj = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [added(eos, "<|endoftext|>")],
              "normalizer": None, "pre_tokenizer": BYTE_LEVEL,
              "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
              "decoder": BYTE_LEVEL, "model": tok.model_json()}
        tc = {"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
              "unk_token": "<|endoftext|>", "add_prefix_space": False, "model_max_length": CONTEXT,
              "clean_up_tokenization_spaces": True}
        return tok, tj, tc, {"bos": eos, "eos": eos, "pad": None}
    if kind == "gpt_neox":
        tok = ByteLevelBPE(GPT2_PATTERN, ["<|endoftext|>", "<|padding|>"], [])
        tj = {"version": "1.0", "truncation": None, "padding": None,
              "added_tokens": [added(0, "<|endoftext|>"), added(1, "<|padding|>")],
              "normalizer": {"type": "NFC"},
              "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
              "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
              "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
              "model": tok.model_json()}
        tc = {"tokenizer_class": "GPTNeoXTokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
              "unk_token": "<|endoftext|>", "add_prefix_space": False, "model_max_length": CONTEXT,
              "clean_up_tokenization_spaces": True}
        return tok, tj, tc, {"bos": 0, "eos": 0, "pad": None}
    if kind == "qwen2":
        specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
        tok = ByteLevelBPE(QWEN2_PATTERN, [], specials)
        tj = {"version": "1.0", "truncation": None, "padding": None,
              "added_tokens": [added(tok.vocab[s], s) for s in specials],
              "normalizer": {"type": "NFC"},
              "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                  {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False},
                  {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
              "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
              "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
              "model": tok.model_json()}
        tc = {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
              "pad_token": "<|endoftext|>", "unk_token": None, "add_prefix_space": False, "model_max_length": CONTEXT,
              "clean_up_tokenization_spaces": False, "errors": "replace", "split_special_tokens": False}
        return tok, tj, tc, {"bos": None, "eos": tok.vocab["<|im_end|>"], "pad": tok.vocab["<|endoftext|>"],
                             "endoftext": tok.vocab["<|endoftext|>"]}
    if kind == "llama":
        tok = ByteFallbackBPE()
        tj = {"version": "1.0", "truncation": None, "padding": None,
              "added_tokens": [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")],
              "normalizer": {"type": "Sequence", "normalizers": [
                  {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
              "pre_tokenizer": None,
              "post_processor": {"type": "TemplateProcessing",
                                 "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                                 "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                          {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                                 "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
              "decoder": {"type": "Sequence", "decoders": [
                  {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
                  {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
              "model": tok.model_json()}
        tc = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
              "pad_token": None, "add_bos_token": True, "add_eos_token": False, "legacy": True,
              "model_max_length": CONTEXT, "clean_up_tokenization_spaces": False}
        return tok, tj, tc, {"bos": 1, "eos": 2, "pad": None}
    raise ValueError(kind)


# ---------------------------------------------------------------- modules


def rotary_tables(dim, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    freqs = torch.arange(CONTEXT, dtype=torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat([freqs, freqs], dim=-1)
    # Tables gathered by position_ids: exact in fp32 and still ~1e-3 in fp16 (an
    # fp16 product position × frequency would be off by up to 0.06 radians).
    return emb.cos().float(), emb.sin().float()


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def causal_bias(attention_mask, S, P):
    q_pos = torch.arange(S).unsqueeze(1) + P
    k_pos = torch.arange(P + S).unsqueeze(0)
    return (k_pos <= q_pos).unsqueeze(0).unsqueeze(0) & (attention_mask[:, None, None, :] > 0)


def attend(q, k, v, allowed, groups):
    """Scaled dot-product attention; k and v carry `heads / groups` heads (GQA's repeat_kv)."""
    if groups > 1:  # transformers' repeat_kv (repeat_interleave would export with fixed shapes)
        B, kv, T, hd = k.shape
        k = k[:, :, None].expand(B, kv, groups, T, hd).reshape(B, kv * groups, T, hd)
        v = v[:, :, None].expand(B, kv, groups, T, hd).reshape(B, kv * groups, T, hd)
    att = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
    att = torch.where(allowed, att, torch.full((), MASK_VALUE))
    return att.softmax(-1) @ v


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


class LlamaLayer(nn.Module):
    """LlamaDecoderLayer / Qwen2DecoderLayer: pre-RMSNorm, GQA with rotary, SwiGLU."""

    def __init__(self, c):
        super().__init__()
        d, h, kv, hd = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        bias = c["model_type"] == "qwen2"  # Qwen2 has q/k/v biases, Llama none
        self.h, self.kv, self.hd = h, kv, hd
        self.input_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.q_proj = nn.Linear(d, h * hd, bias=bias)
        self.k_proj = nn.Linear(d, kv * hd, bias=bias)
        self.v_proj = nn.Linear(d, kv * hd, bias=bias)
        self.o_proj = nn.Linear(h * hd, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.gate_proj = nn.Linear(d, c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(d, c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], d, bias=False)

    def forward(self, x, allowed, cos, sin, pk, pv):
        B, S, _ = x.shape
        y = self.input_layernorm(x)
        q = self.q_proj(y).view(B, S, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(y).view(B, S, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(y).view(B, S, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([pk, k], dim=2)
        v = torch.cat([pv, v], dim=2)
        a = attend(q, k, v, allowed, self.h // self.kv).transpose(1, 2).reshape(B, S, self.h * self.hd)
        x = x + self.o_proj(a)
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y)), k, v


class NeoXLayer(nn.Module):
    """GPTNeoXLayer: fused per-head qkv, partial rotary, parallel residual."""

    def __init__(self, c):
        super().__init__()
        d, h = c["hidden_size"], c["num_attention_heads"]
        self.h, self.hd = h, d // h
        self.rot = int(self.hd * c["rotary_pct"])
        self.input_layernorm = nn.LayerNorm(d, eps=c["layer_norm_eps"])
        self.post_attention_layernorm = nn.LayerNorm(d, eps=c["layer_norm_eps"])
        self.query_key_value = nn.Linear(d, 3 * d)
        self.dense = nn.Linear(d, d)
        self.dense_h_to_4h = nn.Linear(d, c["intermediate_size"])
        self.dense_4h_to_h = nn.Linear(c["intermediate_size"], d)

    def forward(self, x, allowed, cos, sin, pk, pv):
        B, S, D = x.shape
        qkv = self.query_key_value(self.input_layernorm(x)).view(B, S, self.h, 3 * self.hd).transpose(1, 2)
        q, k, v = qkv.split(self.hd, dim=-1)
        r = self.rot
        q = torch.cat([q[..., :r] * cos + rotate_half(q[..., :r]) * sin, q[..., r:]], dim=-1)
        k = torch.cat([k[..., :r] * cos + rotate_half(k[..., :r]) * sin, k[..., r:]], dim=-1)
        k = torch.cat([pk, k], dim=2)
        v = torch.cat([pv, v], dim=2)
        a = attend(q, k, v, allowed, 1).transpose(1, 2).reshape(B, S, D)
        mlp = self.dense_4h_to_h(F.gelu(self.dense_h_to_4h(self.post_attention_layernorm(x))))
        return x + self.dense(a) + mlp, k, v


class GPT2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h = c["n_embd"], c["n_head"]
        self.h, self.hd = h, d // h
        self.ln_1 = nn.LayerNorm(d, eps=c["layer_norm_epsilon"])
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=c["layer_norm_epsilon"])
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x, allowed, cos, sin, pk, pv):
        B, S, D = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
        q, k, v = (t.view(B, S, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
        k = torch.cat([pk, k], dim=2)
        v = torch.cat([pv, v], dim=2)
        a = attend(q, k, v, allowed, 1).transpose(1, 2).reshape(B, S, D)
        x = x + self.c_proj(a)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh")), k, v


class Twin(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        t = c["model_type"]
        self.kind = t
        V = c["vocab_size"]
        if t in ("llama", "qwen2"):
            d = c["hidden_size"]
            self.layers = nn.ModuleList([LlamaLayer(c) for _ in range(c["num_hidden_layers"])])
            self.norm = RMSNorm(d, c["rms_norm_eps"])
            cos, sin = rotary_tables(c["head_dim"], c["rope_theta"])
            self.kv_heads, self.hd = c["num_key_value_heads"], c["head_dim"]
        elif t == "gpt_neox":
            d = c["hidden_size"]
            self.layers = nn.ModuleList([NeoXLayer(c) for _ in range(c["num_hidden_layers"])])
            self.norm = nn.LayerNorm(d, eps=c["layer_norm_eps"])
            hd = d // c["num_attention_heads"]
            cos, sin = rotary_tables(int(hd * c["rotary_pct"]), c["rotary_emb_base"])
            self.kv_heads, self.hd = c["num_attention_heads"], hd
        else:
            d = c["n_embd"]
            self.layers = nn.ModuleList([GPT2Layer(c) for _ in range(c["n_layer"])])
            self.norm = nn.LayerNorm(d, eps=c["layer_norm_epsilon"])
            self.wpe = nn.Embedding(CONTEXT, d)
            cos = sin = torch.zeros(CONTEXT, 1)
            self.kv_heads, self.hd = c["n_head"], d // c["n_head"]
        self.register_buffer("cos_table", cos)
        self.register_buffer("sin_table", sin)
        self.embed = nn.Embedding(V, d)
        self.tied = c["tie_word_embeddings"]
        if not self.tied:
            self.lm_head = nn.Linear(d, V, bias=False)
        self.n_layers = len(self.layers)
        self.head_weight = None  # a tied output matrix that differs from the input embedding (q4_twin)
        # Weights far from zero, so every component moves the log-probabilities
        # by much more than the 1e-4 the tests allow: a wrong rotary or head
        # grouping cannot hide in near-uniform outputs.
        g = torch.Generator().manual_seed(sum(map(ord, t)))
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    p.copy_(0.1 * torch.randn(p.shape, generator=g))
                elif p.dim() == 1:
                    p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
                elif "embed" in name or "wpe" in name:
                    p.copy_(0.3 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(torch.randn(p.shape, generator=g) * (1.5 / math.sqrt(p.shape[1])))

    def forward(self, input_ids, attention_mask, position_ids, past):
        B, S = input_ids.shape
        P = past[0][0].shape[2]
        allowed = causal_bias(attention_mask, S, P)
        x = self.embed(input_ids)
        if self.kind == "gpt2":
            x = x + self.wpe(position_ids)
        cos = self.cos_table[position_ids].unsqueeze(1)
        sin = self.sin_table[position_ids].unsqueeze(1)
        presents = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, allowed, cos, sin, *past[i])
            presents.append((k, v))
        x = self.norm(x)
        head = self.head_weight if self.head_weight is not None else self.embed.weight
        logits = x @ head.t() if self.tied else self.lm_head(x)
        return logits, presents

    def empty_past(self, B):
        return [(torch.zeros(B, self.kv_heads, 0, self.hd), torch.zeros(B, self.kv_heads, 0, self.hd)) for _ in range(self.n_layers)]


# ---------------------------------------------------------------- configs

TWINS = {
    # SmolLM2-135M: llama, 9 heads over 3 key/value heads, tied embeddings, rope_theta 1e5.
    "smollm2-twin": {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 48, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 6, "num_key_value_heads": 2, "head_dim": 8,
        "hidden_act": "silu", "rms_norm_eps": 1e-5, "rope_theta": 100000.0, "rope_scaling": None,
        "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": True,
    },
    # Qwen2.5-0.5B: qwen2, 14 heads over 2 key/value heads (7 per group), q/k/v biases, tied embeddings.
    "qwen2.5-twin": {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 56, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 7, "num_key_value_heads": 1, "head_dim": 8,
        "hidden_act": "silu", "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "rope_scaling": None,
        "use_sliding_window": False, "sliding_window": CONTEXT, "max_window_layers": 2, "tie_word_embeddings": True,
    },
    # Pythia-14m: gpt_neox, rotary on a quarter of each head, parallel residual, untied embed_out.
    "pythia-twin": {
        "architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "hidden_size": 32, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 4, "rotary_pct": 0.25, "rotary_emb_base": 10000,
        "hidden_act": "gelu", "layer_norm_eps": 1e-5, "use_parallel_residual": True, "tie_word_embeddings": False,
    },
    # GPT-2: learned positions, tied embeddings.
    "gpt2-twin": {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 40, "n_layer": 2, "n_head": 4,
        "n_inner": None, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "n_ctx": CONTEXT,
        "tie_word_embeddings": True,
    },
}
TOKENIZER_KIND = {"llama": "llama", "qwen2": "qwen2", "gpt_neox": "gpt_neox", "gpt2": "gpt2"}


def full_config(base, vocab, ids):
    c = dict(base)
    c["vocab_size"] = vocab
    if c["model_type"] == "gpt2":
        c["n_positions"] = CONTEXT
    else:
        c["max_position_embeddings"] = CONTEXT
    c["bos_token_id"] = ids["bos"] if ids["bos"] is not None else ids.get("endoftext", ids["eos"])
    c["eos_token_id"] = ids["eos"]
    if ids["pad"] is not None:
        c["pad_token_id"] = ids["pad"]
    c["use_cache"] = True
    c["torch_dtype"] = "float32"
    c["transformers_version"] = "4.46.0"
    return c


# ---------------------------------------------------------------- export


def export(model, path):
    export_decoder(model, path, model.n_layers, model.kv_heads, model.hd, sample_past=torch.randn)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    m.producer_name, m.producer_version = "emergence-bench hub-twins", "1"
    onnx.save(m, path)


def to_fp16(src, dst):
    """Everything in float16, inputs and outputs included, as the Hub's
    model_fp16.onnx files are (onnxconverter-common with keep_io_types off)."""
    m = onnx.load(src)
    g = m.graph
    for t in g.initializer:
        if t.data_type == TensorProto.FLOAT:
            t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float16), t.name))
    for node in g.node:
        for a in node.attribute:
            if node.op_type == "Cast" and a.name == "to" and a.i == TensorProto.FLOAT:
                a.i = TensorProto.FLOAT16
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == TensorProto.FLOAT:
                a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
    for v in list(g.input) + list(g.output):
        if v.type.tensor_type.elem_type == TensorProto.FLOAT:
            v.type.tensor_type.elem_type = TensorProto.FLOAT16
    del g.value_info[:]
    onnx.checker.check_model(m)
    onnx.save(m, dst)


def rewrite_matmuls(src, rewrite):
    """The model at `src` with every MatMul by a 2-D weight replaced by what
    rewrite(node, weight as float32 [K, N], weight name) returns:
    (new initializers, new nodes). The old weight is dropped."""
    m = onnx.load(src)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    nodes = []
    for node in g.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2:
            nodes.append(node)
            continue
        wn = node.input[1]
        arr = numpy_helper.to_array(w).astype(np.float32)
        g.initializer.remove(w)
        del inits[wn]
        new_inits, new_nodes = rewrite(node, arr, wn)
        g.initializer.extend(new_inits)
        nodes += new_nodes
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return m


def to_q8(src, dst):
    """Dynamic int8 quantisation as onnxruntime's quantize_dynamic writes it
    (the Hub's model_quantized.onnx): activations quantised at run time with
    DynamicQuantizeLinear, weights int8 per tensor, MatMulInteger, rescale."""
    def rewrite(node, arr, wn):
        a, out = node.input[0], node.output[0]
        scale = np.float32(max(float(np.abs(arr).max()), 1e-8) / 127.0)
        q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
        p = out + "_q8"
        return ([numpy_helper.from_array(q, wn + "_quantized"),
                 numpy_helper.from_array(np.array(scale, dtype=np.float32), wn + "_scale"),
                 numpy_helper.from_array(np.array(0, dtype=np.int8), wn + "_zero_point")],
                [helper.make_node("DynamicQuantizeLinear", [a], [p + "_a", p + "_a_scale", p + "_a_zero"], name=p + "_dql"),
                 helper.make_node("MatMulInteger", [p + "_a", wn + "_quantized", p + "_a_zero", wn + "_zero_point"], [p + "_int"], name=p + "_mmi"),
                 helper.make_node("Cast", [p + "_int"], [p + "_float"], to=TensorProto.FLOAT, name=p + "_cast"),
                 helper.make_node("Mul", [p + "_a_scale", wn + "_scale"], [p + "_scale"], name=p + "_scale_mul"),
                 helper.make_node("Mul", [p + "_float", p + "_scale"], [out], name=p + "_rescale")])
    m = rewrite_matmuls(src, rewrite)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


def quantize_q4(arr, block_size):
    """[K, N] weights → 4-bit codes [N, blocks, block_size] and scales [N, blocks]."""
    K, N = arr.shape
    blocks = -(-K // block_size)
    padded = np.zeros((blocks * block_size, N), dtype=np.float32)
    padded[:K] = arr
    cols = padded.T.reshape(N, blocks, block_size)
    scale = (np.maximum(np.abs(cols).max(axis=2), 1e-8) / 7.0).astype(np.float32)
    q = np.clip(np.round(cols / scale[:, :, None]) + 8, 0, 15).astype(np.uint8)
    return q, scale


def q4_roundtrip(arr, block_size=16):
    """What MatMulNBits computes with: the [K, N] weights quantised and dequantised."""
    K, N = arr.shape
    q, scale = quantize_q4(arr, block_size)
    return ((q.astype(np.float32) - 8) * scale[:, :, None]).reshape(N, -1)[:, :K].T.copy()


@torch.no_grad()
def q4_twin(model):
    """The model with every weight MatMulNBits reads replaced by its 4-bit
    round trip (the input embedding stays exact, as the q4 file's Gather does)."""
    import copy
    q = copy.deepcopy(model)
    for mod in q.modules():
        if isinstance(mod, nn.Linear):
            mod.weight.copy_(torch.from_numpy(q4_roundtrip(mod.weight.t().numpy())).t())
    if q.tied:
        q.head_weight = torch.from_numpy(q4_roundtrip(q.embed.weight.t().numpy())).t().contiguous()
    return q


def to_q4(src, dst, block_size=16):
    """Weight-only 4-bit as the Hub's model_q4.onnx files are: each MatMul with
    a weight becomes com.microsoft MatMulNBits (blocks of `block_size` input
    rows per column, one float scale per block, symmetric around 8, two
    values a byte, low nibble first)."""
    def rewrite(node, arr, wn):
        K, N = arr.shape
        q, scale = quantize_q4(arr, block_size)
        packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
        return ([numpy_helper.from_array(packed, wn + "_q4"),
                 numpy_helper.from_array(scale.reshape(-1).astype(np.float32), wn + "_q4_scales")],
                [helper.make_node("MatMulNBits", [node.input[0], wn + "_q4", wn + "_q4_scales"], list(node.output),
                                  name=(node.name or wn) + "_q4", domain="com.microsoft", K=K, N=N, bits=4,
                                  block_size=block_size)])
    m = rewrite_matmuls(src, rewrite)
    if not any(o.domain == "com.microsoft" for o in m.opset_import):
        m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(m, dst)


@torch.no_grad()
def reference(model, tok, ids, greedy=True):
    """Torch's log-probabilities of each prompt's tokens in a left-padded batch
    (the first token is BOS where the tokenizer adds one, else end-of-text, as
    the harness scores an empty context), and greedy continuations."""
    seqs = []
    for p in REFERENCE_PROMPTS:
        t = tok.encode(p)
        # The llama tokenizer adds <s> itself; the others add nothing and the
        # harness puts the config's end-of-text id first.
        seqs.append(t if model.kind == "llama" else [ids["eos"]] + t)
    n = max(len(s) for s in seqs)
    pad = ids["pad"] if ids["pad"] is not None else ids["eos"]
    input_ids = torch.tensor([[pad] * (n - len(s)) + s for s in seqs])
    mask = torch.tensor([[0] * (n - len(s)) + [1] * len(s) for s in seqs])
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, _ = model(input_ids, mask, pos, model.empty_past(len(seqs)))
    lp = logits.log_softmax(-1)
    rows = []
    for b, s in enumerate(seqs):
        off = n - len(s)
        rows.append({"prompt": REFERENCE_PROMPTS[b], "ids": s,
                     "logprobs": [round(float(lp[b, off + i - 1, s[i]]), 7) for i in range(1, len(s))]})
    # Greedy continuations of each prompt as the harness encodes it (BOS for llama, nothing added otherwise).
    if not greedy:
        return {"prompts": rows}
    greedy = []
    for p in REFERENCE_PROMPTS:
        cur = tok.encode(p)
        out = []
        for _ in range(6):
            lg, _ = model(torch.tensor([cur]), torch.ones(1, len(cur), dtype=torch.long),
                          torch.arange(len(cur)).unsqueeze(0), model.empty_past(1))
            out.append(int(lg[0, -1].argmax()))
            cur.append(out[-1])
        greedy.append({"prompt": p, "tokens": out})
    # Continuations sharing a context, split as lm-evaluation-harness does
    # (the context's trailing whitespace moves into the continuation).
    splits = []
    for context, continuation in SPLITS:
        kept = context.rstrip()
        ctx = tok.encode(kept)
        full = tok.encode(kept + context[len(kept):] + continuation)
        # The continuation starts where the joint encoding leaves the context's
        # (a merge across the boundary moves it back a token).
        shared = 0
        while shared < len(ctx) and full[shared] == ctx[shared]:
            shared += 1
        ctx = ctx[:shared]
        lg, _ = model(torch.tensor([full]), torch.ones(1, len(full), dtype=torch.long),
                      torch.arange(len(full)).unsqueeze(0), model.empty_past(1))
        lp = lg.log_softmax(-1)
        splits.append({"context": context, "continuation": continuation, "tokens": len(full) - len(ctx),
                       "logprob": round(float(sum(lp[0, i - 1, full[i]] for i in range(len(ctx), len(full)))), 7)})
    return {"prompts": rows, "greedy": greedy, "splits": splits}


def count_params(model):
    total = sum(p.numel() for n, p in model.named_parameters())
    emb = model.embed.weight.numel() + (model.wpe.weight.numel() if model.kind == "gpt2" else 0)
    if not model.tied:
        emb += model.lm_head.weight.numel()
    return total, total - emb


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    summary = {}
    for name, base in TWINS.items():
        tok, tj, tc, ids = tokenizer_files(TOKENIZER_KIND[base["model_type"]])
        config = full_config(base, len(tok.vocab), ids)
        model = Twin(config).eval()
        folder = os.path.join(OUT, name)
        os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
        config["transformers.js_config"] = {"use_external_data_format": False, "kv_cache_dtype": {"fp16": "float16"}}
        json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=2)
        gen = {"bos_token_id": config["bos_token_id"], "eos_token_id": config["eos_token_id"], "transformers_version": "4.46.0"}
        json.dump(gen, open(os.path.join(folder, "generation_config.json"), "w"), indent=2)
        json.dump(tj, open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
        json.dump(tc, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)
        fp32 = os.path.join(folder, "onnx", "model.onnx")
        export(model, fp32)
        to_fp16(fp32, os.path.join(folder, "onnx", "model_fp16.onnx"))
        to_q8(fp32, os.path.join(folder, "onnx", "model_quantized.onnx"))
        to_q4(fp32, os.path.join(folder, "onnx", "model_q4.onnx"))
        # q4f16: the 4-bit weights with float16 scales, activations, logits and cache.
        to_fp16(os.path.join(folder, "onnx", "model_q4.onnx"), os.path.join(folder, "onnx", "model_q4f16.onnx"))
        # The num_logits_to_keep input recent Hub exports have (the head on the last k positions).
        add_logits_to_keep([os.path.join(folder, "onnx", f) for f in sorted(os.listdir(os.path.join(folder, "onnx")))])
        ref = reference(model, tok, ids)
        # What the harness must give on model_q4.onnx: torch with 4-bit round-tripped weights.
        ref["q4"] = [r["logprobs"] for r in reference(q4_twin(model), tok, ids, greedy=False)["prompts"]]
        total, non_emb = count_params(model)
        ref["params"], ref["nonEmbeddingParams"], ref["vocab"] = total, non_emb, len(tok.vocab)
        json.dump(ref, open(os.path.join(OUT, f"{name}.reference.json"), "w"), indent=1, ensure_ascii=False)
        summary[name] = {"params": total, "nonEmbedding": non_emb, "vocab": len(tok.vocab),
                         "bytes": {f: os.path.getsize(os.path.join(folder, "onnx", f)) for f in sorted(os.listdir(os.path.join(folder, "onnx")))}}
    json.dump(summary, sys.stdout, indent=1)
    print()


def scaled(folder):
    """A twin the size of SmolLM2-135M (same widths, depth and vocabulary size;
    the twin tokenizer's ids sit in the first 475 rows), fp32 only, for
    measuring what a Hub-sized model costs per token on this machine. Not
    committed: 540 MB."""
    tok, tj, tc, ids = tokenizer_files("llama")
    base = dict(TWINS["smollm2-twin"], hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                num_attention_heads=9, num_key_value_heads=3, head_dim=64)
    config = full_config(base, 49152, ids)
    model = Twin(config).eval()
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump(tj, open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump(tc, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)
    export(model, os.path.join(folder, "onnx", "model.onnx"))
    total, non_emb = count_params(model)
    print(json.dumps({"params": total, "nonEmbeddingParams": non_emb}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--scaled":
        torch.manual_seed(0)
        scaled(sys.argv[2])
    else:
        main()
