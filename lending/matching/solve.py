"""Maximum-score assignment: each employee at most once, each need at most its positions.

The feasible graph is split into connected components. A small component (employees ×
usable positions ≤ `DENSE_LIMIT`) is solved densely by `linear_sum_assignment` over its
position-expanded matrix (zero profit = unmatched). The large ones are solved by one of two
methods, which reach the same optimum total (costs are exact integers):

- "flow" (default): one min-cost flow at the need level with OR-Tools' `SimpleMinCostFlow`:
  source → employee (capacity 1) → need (capacity 1 per feasible pair, cost −profit) → sink
  (capacity = positions), plus a zero-cost source → sink bypass so that anyone may stay
  unmatched. The minimum cost is minus the maximum total profit.
- "scipy": per component, scipy's LAPJVsp (`min_weight_full_bipartite_matching`) on the
  position-expanded graph; each node of the smaller side gets its own "unmatched" dummy
  column, so a full matching always exists (without dummies scipy's Hopcroft-Karp pre-check
  blows up on geometric graphs, scipy issue #26147). Slower; kept as a reference.

Both are deterministic: the same input gives the same chosen pairs.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

DENSE_LIMIT = 4_096  # employees × positions below which a component is solved densely
METHODS = ("flow", "scipy")


class SolveError(RuntimeError):
    """A solver did not reach a proven optimum (the round must not use a partial answer)."""


def components(n_emp: int, n_need: int, emp: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Component label per pair, relabelled 0.. by decreasing size (pairs), ties by first pair."""
    if len(emp) == 0:
        return np.empty(0, np.int64)
    n = n_emp + n_need
    order = None if np.all(emp[1:] >= emp[:-1]) else np.argsort(emp, kind="stable")
    heads = (need if order is None else need[order]) + n_emp
    indptr = np.zeros(n + 1, np.int64)
    indptr[1 : n_emp + 1] = np.cumsum(np.bincount(emp, minlength=n_emp))
    indptr[n_emp + 1 :] = len(emp)
    graph = sp.csr_matrix((np.ones(len(emp), np.int8), heads, indptr), shape=(n, n))
    n_labels, labels = connected_components(graph, directed=False)
    pair_label = labels[emp]
    size = np.bincount(pair_label, minlength=n_labels)
    first = np.full(n_labels, len(emp), np.int64)
    np.minimum.at(first, pair_label, np.arange(len(emp)))
    rank = np.empty(n_labels, np.int64)
    rank[np.lexsort((first, -size))] = np.arange(n_labels)
    return rank[pair_label]


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


def _position_matching(
    emp: np.ndarray, need: np.ndarray, profit: np.ndarray, capacity: np.ndarray, dense: bool
) -> np.ndarray:
    """Indices (into the given arrays) of the chosen pairs of one component, on the graph
    where a need has one column per usable position (min(positions, feasible employees))."""
    _, ei = np.unique(emp, return_inverse=True)
    need_u, nj = np.unique(need, return_inverse=True)
    degree = np.bincount(nj, minlength=len(need_u))
    slots = np.minimum(capacity[need_u], degree)
    offset = np.concatenate(([0], np.cumsum(slots)))
    n_rows, n_pos = int(ei.max()) + 1, int(offset[-1])
    # every pair becomes one edge per position of its need
    reps = slots[nj]
    edge_pair = np.repeat(np.arange(len(emp)), reps)
    first = np.cumsum(reps) - reps
    edge_col = np.repeat(offset[nj], reps) + (np.arange(len(edge_pair)) - np.repeat(first, reps))
    edge_row = ei[edge_pair]
    if len(edge_pair) == 0:
        return np.empty(0, np.int64)
    if dense:
        matrix = np.zeros((n_rows, n_pos), np.int64)
        matrix[edge_row, edge_col] = profit[edge_pair]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        keep = matrix[rows, cols] > 0
        rows, cols = rows[keep], cols[keep]
    else:
        rows, cols = _sparse_matching(edge_row, edge_col, profit[edge_pair], n_rows, n_pos)
    # map (row, position column) back to the pair
    width = n_pos + 1
    edge_key = edge_row.astype(np.int64) * width + edge_col
    order = np.argsort(edge_key, kind="stable")
    at = np.searchsorted(edge_key[order], rows.astype(np.int64) * width + cols)
    return edge_pair[order[at]]


def flow_matching(
    n_emp: int,
    n_need: int,
    emp: np.ndarray,
    need: np.ndarray,
    profit: np.ndarray,
    capacity: np.ndarray,
) -> np.ndarray:
    """Indices of the chosen pairs, by one min-cost flow over all the given pairs."""
    if len(emp) == 0:
        return np.empty(0, np.int64)
    source, sink = n_emp + n_need, n_emp + n_need + 1
    emp_u = np.flatnonzero(np.bincount(emp, minlength=n_emp))
    need_u = np.flatnonzero(np.bincount(need, minlength=n_need))
    supply = len(emp_u)
    tails = np.concatenate((np.full(len(emp_u), source), emp, n_emp + need_u, [source]))
    heads = np.concatenate((emp_u, n_emp + need, np.full(len(need_u), sink), [sink]))
    capacities = np.concatenate(
        (np.ones(len(emp_u) + len(emp), np.int64), capacity[need_u], [supply])
    )
    costs = np.concatenate(
        (np.zeros(len(emp_u), np.int64), -profit, np.zeros(len(need_u) + 1, np.int64))
    )
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    network.set_nodes_supplies(np.array([source, sink]), np.array([supply, -supply]))
    status = network.solve()
    if status != network.OPTIMAL:
        raise SolveError(
            f"min-cost flow failed with status {status.name} "
            f"({len(emp_u)} employees, {len(need_u)} needs, {len(emp)} pairs)"
        )
    flows = network.flows(np.arange(len(emp_u), len(emp_u) + len(emp)))
    chosen = np.flatnonzero(flows > 0)
    if -network.optimal_cost() != int(profit[chosen].sum()):
        raise SolveError("min-cost flow: the chosen pairs do not add up to the optimal cost")
    return chosen


def assign(
    n_emp: int,
    n_need: int,
    emp: np.ndarray,
    need: np.ndarray,
    profit: np.ndarray,
    capacity: np.ndarray,
    method: str = "flow",
    dense_limit: int | None = None,
) -> tuple[np.ndarray, int]:
    """Chosen pair indices (sorted) maximising the total profit, and the number of components.

    `method` solves the components above `dense_limit` (default DENSE_LIMIT; 0 sends every
    component to `method`): "flow" or "scipy" (see the module docstring).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    dense_limit = DENSE_LIMIT if dense_limit is None else dense_limit
    if len(emp) == 0:
        return np.empty(0, np.int64), 0
    label = components(n_emp, n_need, emp, need)
    n_comp = int(label.max()) + 1
    # size of each component: employees × usable positions
    emp_label = np.full(n_emp, -1, np.int64)
    emp_label[emp] = label
    need_label = np.full(n_need, -1, np.int64)
    need_label[need] = label
    degree = np.bincount(need, minlength=n_need)
    rows = np.bincount(emp_label[emp_label >= 0], minlength=n_comp)
    has = need_label >= 0
    slots = np.bincount(
        need_label[has], weights=np.minimum(capacity[has], degree[has]), minlength=n_comp
    )
    small = rows * slots <= dense_limit
    each = np.arange(len(label)) if method == "scipy" else np.flatnonzero(small[label])
    order = each[np.argsort(label[each], kind="stable")]
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    chosen = [np.empty(0, np.int64)]
    for group in np.split(order, bounds) if len(order) else []:
        c = label[group[0]]
        picked = _position_matching(
            emp[group], need[group], profit[group], capacity, dense=bool(small[c])
        )
        chosen.append(group[picked])
    if method == "flow" and not small.all():
        large = np.flatnonzero(~small[label])
        picked = flow_matching(n_emp, n_need, emp[large], need[large], profit[large], capacity)
        chosen.append(large[picked])
    return np.sort(np.concatenate(chosen)), n_comp
