"""python3 -m unittest test_windows (from tools/ladder): the training data path."""
import random
import unittest

from windows import batch_rows, pack_rows, split_documents

EOS = 256
PAD = -100


def corpus(docs=400, seed=3, longest=60):
    rng = random.Random(seed)
    tokens = []
    for _ in range(docs):
        tokens += [rng.randrange(32, 127) for _ in range(rng.randrange(5, longest))] + [EOS]
    return tokens


def trained_documents(rows):
    """The documents a model is trained to predict, read back from rows' targets."""
    docs, cur = [], []
    for x, y in rows:
        for t in y:
            if t == PAD:
                break
            if t == EOS:
                docs.append(cur)
                cur = []
            else:
                cur.append(t)
        if cur:
            docs.append(cur)
            cur = []
    return docs


class PackTest(unittest.TestCase):
    def setUp(self):
        self.tokens = corpus()
        self.docs = split_documents(self.tokens, EOS)
        self.context = 64

    def test_split_finds_every_document(self):
        self.assertEqual(len(self.docs), 400)
        self.assertEqual(sum(len(d) + 1 for d in self.docs), len(self.tokens))

    def test_every_document_is_trained_whole_with_its_tail(self):
        rows = pack_rows(self.docs, EOS, self.context, PAD)
        self.assertEqual(trained_documents(rows), self.docs)

    def test_rows_start_at_a_document_start_and_targets_are_inputs_shifted(self):
        rows = pack_rows(self.docs, EOS, self.context, PAD)
        for x, y in rows:
            self.assertEqual(len(x), self.context)
            self.assertEqual(len(y), self.context)
            self.assertEqual(x[0], EOS)
            real = [i for i, t in enumerate(y) if t != PAD]
            self.assertEqual(x[1:len(real)], y[:len(real) - 1])

    def test_long_documents_keep_their_last_tokens(self):
        docs = split_documents(corpus(docs=50, longest=200), EOS)
        rows = pack_rows(docs, EOS, self.context, PAD)
        trained = trained_documents(rows)
        self.assertEqual(len(trained), len(docs))
        for got, doc in zip(trained, docs):
            self.assertEqual(got, doc[-min(len(doc), self.context):])

    def test_rows_are_full_enough(self):
        rows = pack_rows(self.docs, EOS, self.context, PAD)
        used = sum(sum(1 for t in y if t != PAD) for _, y in rows)
        self.assertGreater(used / (len(rows) * self.context), 0.6)


class OrderTest(unittest.TestCase):
    def test_each_epoch_uses_every_row_once_and_epochs_differ(self):
        n, batch = 103, 8
        per_epoch = n // batch
        first = [i for s in range(per_epoch) for i in batch_rows(n, batch, s, seed=5)]
        second = [i for s in range(per_epoch, 2 * per_epoch) for i in batch_rows(n, batch, s, seed=5)]
        self.assertEqual(len(set(first)), len(first))
        self.assertEqual(len(first), per_epoch * batch)
        self.assertNotEqual(first, second)

    def test_a_step_is_recomputed_identically_and_seeds_differ(self):
        self.assertEqual(batch_rows(1000, 16, 77, seed=1), batch_rows(1000, 16, 77, seed=1))
        self.assertNotEqual(batch_rows(1000, 16, 77, seed=1), batch_rows(1000, 16, 77, seed=2))


if __name__ == "__main__":
    unittest.main()
