"""Maximum-score assignment: each employee at most once, each need at most its positions.

The feasible graph is split into connected components (largest first). A need's positions are
interchangeable, so in a component a need gets min(positions, feasible employees) position
columns. Each node of the smaller side (the rows) gets its own "unmatched" dummy column, so a
full matching of the rows always exists: scipy's Hopcroft-Karp pre-check in
`min_weight_full_bipartite_matching` is then trivial (without dummies it blows up on geometric
graphs, scipy issue #26147) and partial matchings come for free. Costs are integers stored in
float64 (exact), so every solver reaches the same optimum total.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

DENSE_LIMIT = 4_096  # employees × positions below which a component is solved densely


def components(n_emp: int, n_need: int, emp: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Component label per pair, relabelled 0.. by decreasing size (pairs), ties by first pair."""
    if len(emp) == 0:
        return np.empty(0, np.int64)
    n = n_emp + n_need
    graph = sp.coo_matrix((np.ones(len(emp), np.int8), (emp, need + n_emp)), shape=(n, n))
    _, labels = connected_components(graph.tocsr(), directed=False)
    pair_label = labels[emp]
    uniq, first, size = np.unique(pair_label, return_index=True, return_counts=True)
    order = np.lexsort((first, -size))
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[np.searchsorted(uniq, pair_label)]


def _sparse_matching(
    emp: np.ndarray, pos: np.ndarray, profit: np.ndarray, n_emp: int, n_pos: int
) -> tuple[np.ndarray, np.ndarray]:
    """Matched (employee, position) pairs of maximum total profit, via scipy's LAPJVsp.

    The smaller side becomes the rows (5x faster than the other way round when positions are
    fewer than employees) and each row gets its own "unmatched" dummy column.
    """
    top = float(profit.max()) + 1.0
    flip = n_pos < n_emp
    r, c, n_r, n_c = (pos, emp, n_pos, n_emp) if flip else (emp, pos, n_emp, n_pos)
    data = np.concatenate((top - profit.astype(np.float64), np.full(n_r, top)))
    rr = np.concatenate((r, np.arange(n_r)))
    cc = np.concatenate((c, n_c + np.arange(n_r)))
    graph = sp.csr_matrix((data, (rr, cc)), shape=(n_r, n_c + n_r))
    rows, cols = min_weight_full_bipartite_matching(graph)
    keep = cols < n_c
    rows, cols = rows[keep], cols[keep]
    return (cols, rows) if flip else (rows, cols)


def _solve_component(
    emp: np.ndarray, need: np.ndarray, profit: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Indices (into the given arrays) of the chosen pairs of one component."""
    emp_u, ei = np.unique(emp, return_inverse=True)
    need_u, nj = np.unique(need, return_inverse=True)
    degree = np.bincount(nj, minlength=len(need_u))
    slots = np.minimum(capacity[need_u], degree)
    offset = np.concatenate(([0], np.cumsum(slots)))
    n_rows, n_pos = len(emp_u), int(offset[-1])
    # every pair becomes one edge per position of its need
    reps = slots[nj]
    edge_pair = np.repeat(np.arange(len(emp)), reps)
    first = np.cumsum(reps) - reps
    edge_col = np.repeat(offset[nj], reps) + (np.arange(len(edge_pair)) - np.repeat(first, reps))
    edge_row = ei[edge_pair]
    if n_rows * n_pos <= DENSE_LIMIT:
        dense = np.zeros((n_rows, n_pos), np.int64)
        dense[edge_row, edge_col] = profit[edge_pair]
        rows, cols = linear_sum_assignment(dense, maximize=True)
        keep = dense[rows, cols] > 0
        rows, cols = rows[keep], cols[keep]
    else:
        rows, cols = _sparse_matching(edge_row, edge_col, profit[edge_pair], n_rows, n_pos)
    # map (row, position column) back to the pair
    width = n_pos + 1
    edge_key = edge_row.astype(np.int64) * width + edge_col
    order = np.argsort(edge_key, kind="stable")
    at = np.searchsorted(edge_key[order], rows.astype(np.int64) * width + cols)
    return edge_pair[order[at]]


def assign(
    n_emp: int,
    n_need: int,
    emp: np.ndarray,
    need: np.ndarray,
    profit: np.ndarray,
    capacity: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Chosen pair indices (sorted) maximising the total profit, and the number of components."""
    if len(emp) == 0:
        return np.empty(0, np.int64), 0
    label = components(n_emp, n_need, emp, need)
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    chosen = []
    for group in np.split(order, bounds):
        picked = _solve_component(emp[group], need[group], profit[group], capacity)
        chosen.append(group[picked])
    return np.sort(np.concatenate(chosen)), int(label.max()) + 1
