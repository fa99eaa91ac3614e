#!/usr/bin/python3
# Oracle for src/train/pack/lowRank.ts: numpy's LAPACK SVD (numpy.linalg.svd) of three seeded matrices, and the
# Eckart-Young optimum of each rank-r truncation, ||A - A_r||_F / ||A||_F = sqrt(sum_{i>r} s_i^2) / sqrt(sum s_i^2).
# Writes test/fixtures/pack/svd.json (matrices as float32 values, so the test feeds exactly what numpy factored).
# Tests never run this. Usage: /usr/bin/python3 tools/ecosystem/svd_fixture.py
import json
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
rng = np.random.default_rng(12)


def orthonormal(m, k):
    q, _ = np.linalg.qr(rng.standard_normal((m, k)))
    return q


def case(name, a):
    a = a.astype(np.float32)
    s = np.linalg.svd(a.astype(np.float64), compute_uv=False)
    tail = [float(np.sqrt(np.sum(s[r:] ** 2)) / np.sqrt(np.sum(s ** 2))) for r in range(1, len(s) + 1)]
    return {"name": name, "rows": a.shape[0], "cols": a.shape[1], "data": [float(x) for x in a.ravel()],
            "singularValues": [float(x) for x in s], "optimalRelativeError": tail}


decay = 0.7 ** np.arange(40)
cases = [
    case("gaussian 12x9", rng.standard_normal((12, 9))),
    case("60x40, singular values 0.7^i", orthonormal(60, 40) @ np.diag(decay) @ orthonormal(40, 40).T),
    case("60x40 of rank 3", rng.standard_normal((60, 3)) @ rng.standard_normal((3, 40))),
]
out = os.path.join(ROOT, "test/fixtures/pack/svd.json")
with open(out, "w") as f:
    json.dump({"source": "numpy.linalg.svd " + np.__version__ + ", tools/ecosystem/svd_fixture.py", "cases": cases}, f)
print(out)
