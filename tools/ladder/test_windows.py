"""python3 -m unittest test_windows (from tools/ladder): the training data path."""
import random
import unittest

from windows import batch_starts, window_pair, window_starts

EOS = 256


def corpus(docs=400, seed=3):
    rng = random.Random(seed)
    tokens = []
    for d in range(docs):
        tokens += [rng.randrange(32, 127) for _ in range(rng.randrange(5, 60))] + [EOS]
    return tokens


class WindowsTest(unittest.TestCase):
    def setUp(self):
        self.tokens = corpus()
        self.context = 64
        self.windows = window_starts(self.tokens, EOS, self.context)
        self.stream = [EOS] + self.tokens

    def test_windows_begin_at_document_starts_and_do_not_overlap(self):
        self.assertGreater(len(self.windows), 100)
        for a, b in zip(self.windows, self.windows[1:]):
            self.assertGreaterEqual(b, a + self.context - 1)
        for s in self.windows:
            self.assertTrue(s == 0 or self.tokens[s - 1] == EOS)
            self.assertLessEqual(s + self.context, len(self.tokens))

    def test_an_epoch_uses_every_window_once_across_the_whole_corpus(self):
        order = list(range(len(self.windows)))
        random.Random(99).shuffle(order)
        batch = 8
        used = [s for step in range(len(self.windows) // batch) for s in batch_starts(self.windows, order, step, batch)]
        self.assertEqual(len(used), len(set(used)))
        self.assertTrue(set(used) <= set(self.windows))
        # The bug this guards against: positions 0..n instead of window starts, all near the corpus's beginning.
        self.assertGreater(max(used), len(self.tokens) * 0.8)

    def test_targets_are_inputs_shifted_by_one_and_inputs_start_with_end_of_text(self):
        for s in self.windows[:20]:
            x, y = window_pair(self.stream, s, self.context)
            self.assertEqual(len(x), self.context)
            self.assertEqual(x[1:], y[:-1])
            self.assertEqual(x[0], EOS)
            self.assertEqual(y[0], self.tokens[s])


if __name__ == "__main__":
    unittest.main()
