"""What chapter 6 says about gensim itself, checked against gensim.

The chapter sets ``workers=1`` and ``seed=0`` for a reproducible run and says
that, unlike gensim's docstring suggests, ``PYTHONHASHSEED`` no longer
matters in gensim 4.4: two interpreter launches with different hash seeds
train bit-identical vectors. Each run is a fresh process, since the hash seed
is fixed when the interpreter starts.
"""

from __future__ import annotations

import os
import subprocess
import sys

TRAIN = """
import hashlib
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

with open(datapath("lee_background.cor"), encoding="utf8") as f:
    sentences = [simple_preprocess(line) for line in f][:60]
model = Word2Vec(sentences, sg=1, hs=0, negative=5, vector_size=20, window=5, min_count=5, sample=0,
                 shrink_windows=False, epochs=2, workers=1, seed=0)
digest = hashlib.sha256(model.wv.vectors.tobytes() + model.syn1neg.tobytes())
print(digest.hexdigest(), len(model.wv.index_to_key))
"""


def _train(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", TRAIN], env=env, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_vectors_do_not_depend_on_the_hash_seed():
    first, second = _train("1"), _train("777")
    assert first == second, (first, second)
    assert int(first.split()[1]) > 50   # a real vocabulary was trained, not an empty model


def test_the_check_can_fail():
    # the digest does see a change of the training seed, so equality above is evidence
    changed = TRAIN.replace("seed=0)", "seed=1)")
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    other = subprocess.run([sys.executable, "-c", changed], env=env, capture_output=True, text=True, timeout=120,
                           check=True).stdout.strip()
    assert other.split()[0] != _train("1").split()[0]
