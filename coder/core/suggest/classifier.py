"""One logistic regression per code, trained jointly on frozen embeddings.

The codes are scored one-vs-rest: each code has its own weight vector and
bias, and its own per-item sample weights, so an item can be a positive for
one code, a hard negative for another and simply unknown (weight 0) for a
third.  All codes are fitted in one L-BFGS run over the stacked parameters:
the objective is a sum of independent per-code terms, so this is the same
solution as fitting them one by one, with one matrix product per step
instead of one per code.

Refitting after one more coding (:meth:`OneVsRestLogistic.update`) starts
from the previous solution and refits only the codes whose gradient the
change moved past the tolerance, usually the one or two it touched: the
other codes' terms are independent and already at their optimum.  That is
what keeps "retrain after every action" cheap with thousands of coded
segments (see ``benchmarks/suggest_latency.py``).

Besides the dense embeddings ``X`` an item may have sparse features ``S``
(word n-grams, :mod:`coder.core.suggest.words`): their weights are stacked
below the dense ones, and only sparse products touch them.
"""

from __future__ import annotations

import functools

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
        problem = _Problem(X, Y, weights, S, self.C)
        x0 = self._start(problem, warm_start)
        if problem.n == 0 or problem.k == 0:
            self.coef_, self.intercept_ = x0[: problem.d], x0[problem.d]
            return self
        self._finish(x0, problem.solve(x0, self.max_iter, self.tol))
        return self

    def update(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        weights: np.ndarray,
        *,
        S: sp.csr_matrix | None = None,
    ) -> np.ndarray:
        """Refit, from the current weights, only the codes whose gradient on
        this data is not already within ``tol`` (after one more coding: the
        codes it touches); returns their columns.

        The codes' terms are independent, so the others are at their optimum
        already and this reaches the same solution as :meth:`fit`, with a
        fraction of the parameters."""
        problem = _Problem(X, Y, weights, S, self.C)
        x0 = self._start(problem, True)
        if problem.n == 0 or problem.k == 0:
            self.coef_, self.intercept_ = x0[: problem.d], x0[problem.d]
            return np.zeros(0, np.int64)
        _, grad = problem.objective(x0)
        columns = np.nonzero(np.abs(grad).max(0) > self.tol)[0]
        if len(columns):
            x0[:, columns] = problem.subset(columns).solve(x0[:, columns], self.max_iter, self.tol)
        self._finish(x0, x0)
        return columns

    def _start(self, problem: "_Problem", warm_start: bool) -> np.ndarray:
        """The starting parameters (d + 1, k): the current ones, or biases at each code's log-odds."""
        d, dx, k = problem.d, problem.dx, problem.k
        x0 = np.zeros((d + 1, k), dtype=np.float64)
        if warm_start and self.coef_ is not None and self.coef_.shape in ((d, k), (dx, k)):
            x0[: len(self.coef_)] = self.coef_
            x0[d] = self.intercept_
        elif k:
            # Start every bias at the weighted log-odds of its code.
            pos = (problem.Wt * problem.Y).sum(0) + 1e-3
            neg = (problem.Wt * (1 - problem.Y)).sum(0) + 1e-3
            x0[d] = np.log(pos / neg)
        return x0

    def _finish(self, x0: np.ndarray, P: np.ndarray) -> None:
        d = len(x0) - 1
        self.coef_ = np.ascontiguousarray(P[:d], dtype=np.float32)
        self.intercept_ = P[d].astype(np.float32)

    def decision(self, X: np.ndarray, S: sp.csr_matrix | None = None) -> np.ndarray:
        """Logits (m, k)."""
        if self.coef_ is None:
            raise RuntimeError("fit() first")
        return linear(self.coef_, self.intercept_, X, S)


class _Problem:
    """One fitting problem: the data and the objective of every code's regression."""

    def __init__(self, X, Y, weights, S, C: float) -> None:
        self.X = np.ascontiguousarray(X, dtype=np.float32)
        self.Y = np.asarray(Y, dtype=np.float32)
        self.n, self.dx = self.X.shape
        self.S = None if S is None or S.shape[1] == 0 else sp.csr_matrix(S, dtype=np.float32)
        self.St = None if self.S is None else self.S.T.tocsr()
        self.d = self.dx + (0 if self.S is None else self.S.shape[1])
        # The objective is scaled by 1 / n so that ``tol`` means the same
        # thing for 50 items and for 50,000.
        self.scale = 1.0 / max(self.n, 1)
        self.Wt = np.asarray(weights, dtype=np.float32) * np.float32(C * self.scale)
        self.k = self.Y.shape[1]

    def subset(self, columns: np.ndarray) -> "_Problem":
        """The same problem for some codes only."""
        out = object.__new__(_Problem)
        out.__dict__.update(self.__dict__)
        out.Y = np.ascontiguousarray(self.Y[:, columns])
        out.Wt = np.ascontiguousarray(self.Wt[:, columns])
        out.k = len(columns)
        return out

    def objective(self, P: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient (d + 1, k) at parameters ``P`` (d + 1, k)."""
        X, S, St, dx, d = self.X, self.S, self.St, self.dx, self.d
        w = P[:d].astype(np.float32)
        b = P[d].astype(np.float32)
        Z = X @ w[:dx] + b
        if S is not None:
            Z += S @ w[dx:]
        # Logistic loss: log(1 + e^z) - y z, weighted.
        loss = float((self.Wt * (_log1pexp(Z) - self.Y * Z)).sum(dtype=np.float64))
        R = self.Wt * (_sigmoid(Z) - self.Y)
        grad = np.empty_like(P)
        grad[:dx] = X.T @ R
        if St is not None:
            grad[dx:d] = St @ R
        grad[d] = R.sum(0)
        wd = P[:d]
        loss += 0.5 * self.scale * float((wd * wd).sum())
        grad[:d] += self.scale * wd
        return loss, grad

    def solve(self, x0: np.ndarray, max_iter: int, tol: float) -> np.ndarray:
        """L-BFGS from ``x0`` (d + 1, k); the parameters found."""
        from scipy.optimize import minimize

        shape = x0.shape

        def flat(v: np.ndarray) -> tuple[float, np.ndarray]:
            loss, grad = self.objective(v.reshape(shape))
            return loss, grad.ravel()

        # The matrices are small: one BLAS thread is as fast as several on an
        # idle machine and far faster on a busy one (no spinning threads).
        with _blas().limit(limits=1, user_api="blas"):
            res = minimize(flat, x0.ravel(), jac=True, method="L-BFGS-B",
                           options={"maxiter": max_iter, "gtol": tol, "ftol": 1e-10})
        return res.x.reshape(shape)


@functools.lru_cache(maxsize=None)
def _blas():
    """The process's thread pools, found once (finding them takes ~10 ms)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


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
