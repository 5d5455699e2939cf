"""Which token windows the tiny ladder trains on, in which order: pure Python,
so it is tested without torch (test_windows.py). The first full training run
indexed window *positions* instead of window *starts* and trained every rung
on the corpus's first 5 KB; these functions and their test exist so that
cannot happen again."""


def window_starts(tokens, eos, context):
    """Offsets of non-overlapping windows of `context` tokens that each begin at
    a document start (offset 0, or just after an end-of-text token)."""
    starts, end = [], 0
    candidates = [0] + [i + 1 for i, t in enumerate(tokens) if t == eos]
    for s in candidates:
        if s >= end and s + context <= len(tokens):
            starts.append(s)
            end = s + context - 1
    return starts


def batch_starts(windows, order, step, batch):
    """Window starts of training step `step`: `order` permutes window *indices*."""
    return [windows[i] for i in order[step * batch:(step + 1) * batch]]


def window_pair(stream, start, context):
    """Input and target token lists of the window at `start`. `stream` is the
    corpus with one end-of-text token prepended, so the input begins with the
    end-of-text token before the window's first document, like a prompt."""
    return stream[start:start + context], stream[start + 1:start + context + 1]
