"""Sums of cells (disclosure.Relation) as integer arrays, so disclosure.find_hidden and narrowing work on every
sum at once with numpy instead of one cell at a time. The rules and their order are unchanged: cells are
numbered in sorted order, so "the smallest cell" breaks ties exactly as sorting the cells did.
"""
from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

NONE = -1   # no cell, no relation


class CellCounts(NamedTuple):
    present: np.ndarray   # which cells have a count
    value: np.ndarray     # the counts, 0 where none


class RelationArrays:
    """Relations in; their parents, children (flattened, with the relation each belongs to) and the relations
    each cell is in, as arrays over cell numbers. Iterates as the relations, in order."""

    def __init__(self, relations):
        self.relations = list(relations)
        # each field of every relation at once (Relation is a named tuple): C loops, not attribute look-ups
        parents, childrens, completes, min_hiddens = (list(field) for field in zip(*self.relations)) \
            if self.relations else ([], [], [], [])
        children = list(itertools.chain.from_iterable(childrens))
        self.cells = sorted(set(parents).union(children))
        self.number = number = dict(zip(self.cells, range(len(self.cells))))
        sizes = np.fromiter(map(len, childrens), dtype=np.int64, count=len(childrens))
        self.parent = np.fromiter(map(number.__getitem__, parents), dtype=np.int64, count=len(parents))
        self.child = np.fromiter(map(number.__getitem__, children), dtype=np.int64, count=len(children))
        self.owner = np.repeat(np.arange(len(self.relations), dtype=np.int64), sizes)
        self.start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.complete = np.array(completes, dtype=bool)
        self.min_hidden = np.array(min_hiddens, dtype=np.int64)
        members = np.concatenate([self.parent, self.child])
        owners = np.concatenate([np.arange(len(self.relations), dtype=np.int64), self.owner])
        order = np.lexsort((owners, members))
        self.member_owner = owners[order]
        self.member_start = np.searchsorted(members[order], np.arange(len(self.cells) + 1))
        self._lists = None

    def lists(self) -> tuple[list, list, list, list, list]:
        """child, start, parent, complete and min_hidden as Python lists, made once: for looking at a few
        relations at a time, where each numpy call costs more than the loop it saves."""
        if self._lists is None:
            self._lists = (self.child.tolist(), self.start.tolist(), self.parent.tolist(), self.complete.tolist(),
                           self.min_hidden.tolist())
        return self._lists

    def __iter__(self):
        return iter(self.relations)

    def __len__(self) -> int:
        return len(self.relations)

    def values(self, counts) -> tuple[np.ndarray, np.ndarray]:
        """{cell: count} in (or what this returned for it, passed back to save the work); which cells have a
        count, and the counts (0 where none), out."""
        if isinstance(counts, CellCounts):
            return counts
        size = len(self.cells)   # map over the dict's own methods: no Python frame per cell
        present = np.fromiter(map(counts.__contains__, self.cells), dtype=bool, count=size)
        value = np.fromiter(map(counts.get, self.cells, itertools.repeat(0, size)), dtype=np.int64, count=size)
        return CellCounts(present, value)

    def mask(self, cells) -> np.ndarray:
        out = np.zeros(len(self.cells), dtype=bool)
        numbers = [n for n in map(self.number.get, cells) if n is not None]
        out[numbers] = True
        return out

    def named(self, mask: np.ndarray) -> set:
        return {self.cells[i] for i in np.flatnonzero(mask)}

    def relations_of(self, cell: int) -> np.ndarray:
        """The relations a cell is in (as parent or child), in order."""
        return self.member_owner[self.member_start[cell]:self.member_start[cell + 1]]

    def entries(self, rels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions in child/owner of the given relations' children, and which of rels (0, 1, ...) each is of."""
        lengths = self.start[rels + 1] - self.start[rels]
        local = np.repeat(np.arange(len(rels), dtype=np.int64), lengths)
        offset = (self.start[rels] - (np.cumsum(lengths) - lengths))[local]   # first child's position, less earlier ones
        return offset + np.arange(len(local), dtype=np.int64), local

    def children_of(self, rel: int) -> np.ndarray:
        return self.child[self.start[rel]:self.start[rel + 1]]

    def per_relation(self, flags: np.ndarray, weights=None) -> np.ndarray:
        """Children flags (or weights) in, their sum per relation out (exact: counts stay far below 2**53)."""
        return np.bincount(self.owner, weights=flags if weights is None else np.where(flags, weights, 0),
                           minlength=len(self.relations))

    def totals_of_shown_parents(self, present: np.ndarray, value: np.ndarray, hidden: np.ndarray):
        """For each relation: is it complete with its total shown (disclosure's shown_parent_totals), which of
        its children are present and hidden, and its total less its shown present children."""
        qualify = self.complete & present[self.parent] & ~hidden[self.parent]
        child_present = present[self.child]
        shown_sum = self.per_relation(child_present & ~hidden[self.child], value[self.child]).astype(np.int64)
        return qualify, child_present & hidden[self.child], value[self.parent] - shown_sum


def rank_cells(value: np.ndarray, zero_last: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cells ordered by (count == 0 if zero_last, count, cell) and each cell's place in that order."""
    number = np.arange(len(value))
    keys = (number, value, value == 0) if zero_last else (number, value)
    order = np.lexsort(keys)
    rank = np.empty_like(order)
    rank[order] = number
    return order, rank


def smallest(owner: np.ndarray, child: np.ndarray, eligible: np.ndarray, rank: np.ndarray, order: np.ndarray,
             size: int) -> np.ndarray:
    """For each of size relations (owner numbers its children's), its eligible child first in rank order, or NONE."""
    best = np.full(size, len(rank), dtype=np.int64)
    np.minimum.at(best, owner[eligible], rank[child[eligible]])
    found = best < len(rank)
    out = np.full(size, NONE, dtype=np.int64)
    out[found] = order[best[found]]
    return out


def first_of(cells: np.ndarray, eligible: np.ndarray, rank: np.ndarray) -> int:
    """The eligible cell first in rank order, or NONE."""
    chosen = cells[eligible]
    return int(chosen[np.argmin(rank[chosen])]) if len(chosen) else NONE


def as_arrays(relations) -> RelationArrays:
    """Relations (a list, or already as arrays) in, as arrays out: callers that reuse one set of relations
    many times convert it once."""
    return relations if isinstance(relations, RelationArrays) else RelationArrays(relations)
