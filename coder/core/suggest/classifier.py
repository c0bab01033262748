"""One logistic regression per code, trained jointly on frozen embeddings.

The codes are scored one-vs-rest: each code has its own weight vector and
bias, and its own per-item sample weights, so an item can be a positive for
one code, a hard negative for another and simply unknown (weight 0) for a
third.  All codes are fitted in one L-BFGS run over the stacked parameters:
the objective is a sum of independent per-code terms, so this is the same
solution as fitting them one by one, with one matrix product per step
instead of one per code.

Refitting after one more coding starts from the previous solution (warm
start) and usually converges in a handful of steps, which is what keeps
"retrain after every action" cheap (see ``benchmarks/embedding_speed.py``).

Besides the dense embeddings ``X`` an item may have sparse features ``S``
(word n-grams, :mod:`coder.core.suggest.words`): their weights are stacked
below the dense ones, and only sparse products touch them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def _log1pexp(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` without overflow."""
    return np.logaddexp(0.0, z)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


class OneVsRestLogistic:
    """L2-regularised logistic regressions, one column per code.

    ``C`` follows scikit-learn's convention: the data term is multiplied by
    ``C`` and the penalty is ``0.5 * ||w||^2`` (the bias is not penalised).
    """

    def __init__(self, C: float = 4.0, *, max_iter: int = 500, tol: float = 1e-4) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.coef_: np.ndarray | None = None  # (d, k)
        self.intercept_: np.ndarray | None = None  # (k,)
        self.n_iter_: int = 0

    def fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        weights: np.ndarray,
        *,
        S: sp.csr_matrix | None = None,
        warm_start: bool = True,
    ) -> "OneVsRestLogistic":
        """Fit on items ``X`` (n, d), targets ``Y`` (n, k) in {0, 1} and
        per-item-per-code ``weights`` (n, k); a weight of 0 ignores the item
        for that code.  ``S`` (n, v): optional sparse features of the same
        items; ``coef_`` is then (d + v, k), the sparse weights last.  A warm
        start from dense-only weights (d, k) starts the sparse ones at 0."""
        from scipy.optimize import minimize
        from threadpoolctl import threadpool_limits

        X = np.ascontiguousarray(X, dtype=np.float32)
        Y = np.asarray(Y, dtype=np.float32)
        n, dx = X.shape
        S = None if S is None or S.shape[1] == 0 else sp.csr_matrix(S, dtype=np.float32)
        St = None if S is None else S.T.tocsr()
        d = dx + (0 if S is None else S.shape[1])
        # The objective is scaled by 1 / n so that ``tol`` means the same
        # thing for 50 items and for 50,000.
        scale = 1.0 / max(n, 1)
        Wt = np.asarray(weights, dtype=np.float32) * np.float32(self.C * scale)
        k = Y.shape[1]
        x0 = np.zeros((d + 1, k), dtype=np.float64)
        if warm_start and self.coef_ is not None and self.coef_.shape in ((d, k), (dx, k)):
            x0[: len(self.coef_)] = self.coef_
            x0[d] = self.intercept_
        elif k:
            # Start every bias at the weighted log-odds of its code.
            pos = (Wt * Y).sum(0) + 1e-3
            neg = (Wt * (1 - Y)).sum(0) + 1e-3
            x0[d] = np.log(pos / neg)

        def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
            P = flat.reshape(d + 1, k)
            w = P[:d].astype(np.float32)
            b = P[d].astype(np.float32)
            Z = X @ w[:dx] + b
            if S is not None:
                Z += S @ w[dx:]
            # Logistic loss: log(1 + e^z) - y z, weighted.
            loss = float((Wt * (_log1pexp(Z) - Y * Z)).sum(dtype=np.float64))
            R = Wt * (_sigmoid(Z) - Y)
            grad = np.empty_like(P)
            grad[:dx] = X.T @ R
            if St is not None:
                grad[dx:d] = St @ R
            grad[d] = R.sum(0)
            wd = P[:d]
            loss += 0.5 * scale * float((wd * wd).sum())
            grad[:d] += scale * wd
            return loss, grad.ravel()

        if n == 0 or k == 0:
            self.coef_, self.intercept_ = x0[:d], x0[d]
            return self
        # The matrices are small: one BLAS thread is as fast as several on an
        # idle machine and far faster on a busy one (no spinning threads).
        with threadpool_limits(1, user_api="blas"):
            res = minimize(
                objective,
                x0.ravel(),
                jac=True,
                method="L-BFGS-B",
                options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 1e-10},
            )
        P = res.x.reshape(d + 1, k)
        self.coef_ = np.ascontiguousarray(P[:d], dtype=np.float32)
        self.intercept_ = P[d].astype(np.float32)
        self.n_iter_ = int(res.nit)
        return self

    def decision(self, X: np.ndarray, S: sp.csr_matrix | None = None) -> np.ndarray:
        """Logits (m, k)."""
        if self.coef_ is None:
            raise RuntimeError("fit() first")
        return linear(self.coef_, self.intercept_, X, S)


def linear(coef: np.ndarray, intercept: np.ndarray, X: np.ndarray, S: sp.csr_matrix | None = None) -> np.ndarray:
    """``[X S] @ coef + intercept``: dense rows of ``coef`` first, then sparse ones."""
    X = np.asarray(X, dtype=np.float32)
    dx = X.shape[1]
    Z = X @ coef[:dx] + intercept
    if S is not None and S.shape[1] and len(coef) > dx:
        Z += S @ coef[dx:]
    return Z


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Elementwise logistic function (stable for large |z|)."""
    return _sigmoid(np.asarray(z, dtype=np.float64))
