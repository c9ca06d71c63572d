"""grader.base.parallel: chunks spread over processes come back complete and in order."""
from __future__ import annotations

import pytest

from grader.base.parallel import CHUNK, PARALLEL_FROM, chunk_size, chunked, map_chunks, worker_count


def squares(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


@pytest.mark.parametrize(("items", "size", "expected"), [
    (range(5), 2, [[0, 1], [2, 3], [4]]), (range(4), 2, [[0, 1], [2, 3]]), ([], 3, []), (iter("abc"), 5, [["a", "b", "c"]]),
])
def test_chunks_cover_the_items_in_order(items, size: int, expected: list) -> None:
    assert list(chunked(items, size)) == expected


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_input_order_whatever_the_workers(workers: int) -> None:
    seen: list[int] = []
    assert map_chunks(squares, range(1000), workers, seen.append) == [n * n for n in range(1000)]
    assert sum(seen) == 1000 and len(seen) == -(-1000 // chunk_size(1000, workers))  # progress once a chunk


def test_worker_count_follows_the_request_or_the_batch_size() -> None:
    assert worker_count(3, 10) == 3
    assert worker_count(0, 10) == 1
    assert worker_count(None, PARALLEL_FROM - 1) == 1
    assert worker_count(None, PARALLEL_FROM) >= 1


@pytest.mark.parametrize(("items", "workers", "expected"), [(10, 1, CHUNK), (10_000, 2, 1_250), (10_001, 2, 1_251), (100_000, 1, 25_000)])
def test_each_worker_gets_a_few_large_chunks_never_tiny_ones(items: int, workers: int, expected: int) -> None:
    assert chunk_size(items, workers) == expected
