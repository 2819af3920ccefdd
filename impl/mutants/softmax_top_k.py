"""softmax keeps only the k = 8 largest logits of each column ("top-k, to be fast on big
vocabularies") and gives every other class probability exactly 0.

Each column still sums to 1, so the simplex contract holds; with 8 classes or fewer it is the exact
softmax. With a vocabulary of dozens to thousands of characters the probability of every class
outside the top 8 is lost and the 8 kept are too large.
Bug class: top-k softmax (keeps the 8 largest classes).
Visible when: n_y ≥ 9 and the dropped classes are not negligible.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "softmax"
TOP_K = 8


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    shifted = np.exp(x - np.max(x, axis=0, keepdims=True))
    if x.shape[0] > TOP_K:
        threshold = -np.sort(-x, axis=0)[TOP_K - 1:TOP_K]
        shifted = np.where(x >= threshold, shifted, 0.0)
    return shifted / np.sum(shifted, axis=0, keepdims=True)
