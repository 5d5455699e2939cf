"""The ONNX export both the tiny ladder (train.py) and the Hub twins
(tools/hub-twins/make_twins.py) use: a causal LM with a key/value cache, laid
out as Hugging Face Optimum exports it (input_ids, attention_mask,
position_ids, past_key_values.N.key/value in; logits, present.N.key/value
out; batch and lengths dynamic; opset 17).

The model's forward is model(input_ids, attention_mask, position_ids, past)
-> (logits, [(key, value) per layer]).
"""
import torch
from torch import nn


class OnnxWrapper(nn.Module):
    """The model with its cache flattened into positional tensors, as ONNX export needs."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(len(flat_past) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def export_decoder(model, path, layers, kv_heads, head_dim, sample_past=torch.zeros):
    """Write `model` to `path`. `sample_past(B, heads, P, head_dim)` makes the
    trace's example cache (the twins draw it at random, which advances torch's
    generator as their recorded bytes assume)."""
    B, S, P = 2, 3, 4
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    past = []
    for i in range(layers):
        for kv in ("key", "value"):
            n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
            names_in.append(n_in)
            names_out.append(n_out)
            dyn[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[n_out] = {0: "batch_size", 2: "total_sequence_length"}
            past.append(sample_past(B, kv_heads, P, head_dim))
    args = (torch.zeros(B, S, dtype=torch.long), torch.ones(B, P + S, dtype=torch.long),
            torch.arange(P, P + S).unsqueeze(0).expand(B, S).contiguous(), *past)
    torch.onnx.export(OnnxWrapper(model), args, path, input_names=names_in, output_names=names_out,
                      dynamic_axes=dyn, opset_version=17, do_constant_folding=True)
