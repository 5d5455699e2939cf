"""Which token rows the tiny ladder trains on, in which order: pure Python,
so it is tested without torch (test_windows.py). The first full training run
indexed window *positions* instead of window *starts* and trained every rung
on the corpus's first 5 KB; the second cut the tail of every document that
crossed a window's end, so BBH answers were trained in a quarter of their
documents. These functions and their test exist so neither can happen again."""

import random


def split_documents(tokens, eos):
    """Documents of a token stream whose documents are separated by `eos`."""
    docs, cur = [], []
    for t in tokens:
        if t == eos:
            if cur:
                docs.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        docs.append(cur)
    return docs


def pack_rows(docs, eos, context, pad=-100):
    """Pack whole documents into rows of `context` input tokens.

    Every document enters a row with the end-of-text token before it (as every
    prompt starts with it), so its first token is trained too, and ends in a
    row: a row holds as many whole documents as fit, in order, and is padded
    after the last one. A document longer than a row keeps its *last*
    `context` tokens (the end-of-text token, then its tail): the answer is at
    the end, and prompts longer than a model's window are cut from the left
    the same way at evaluation. Returns (inputs, targets) pairs; padded
    targets are `pad` (ignored by the loss)."""
    rows = []
    cur = []

    def flush():
        if cur:
            x = cur + [eos] * (context + 1 - len(cur))
            y = cur[1:] + [pad] * (context + 1 - len(cur))
            rows.append((x[:context], y[:context]))

    for doc in docs:
        piece = [eos] + doc
        if len(piece) > context + 1:
            piece = [eos] + doc[-context:]
        if len(cur) + len(piece) > context + 1:
            flush()
            cur = []
        cur = cur + piece
    flush()
    return rows


def epoch_order(n_rows, seed, epoch):
    """A permutation of row indices for one epoch: every row once per epoch."""
    order = list(range(n_rows))
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order


def batch_rows(n_rows, batch, step, seed):
    """Row indices of training step `step`: epochs follow each other, each a
    fresh permutation, so any step can be recomputed on resume."""
    per_epoch = n_rows // batch
    epoch, k = divmod(step, per_epoch)
    order = epoch_order(n_rows, seed, epoch)
    return order[k * batch:(k + 1) * batch]
