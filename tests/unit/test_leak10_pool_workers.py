"""How many worker processes read the releases (release_workers.pool_workers): one per core, or one more where
the last releases would otherwise be read by one worker alone while the other cores wait."""
from __future__ import annotations

import pytest

from build_data.release_workers import WORKER_START, finish_time, pool_workers

MB = 1 << 20


def test_one_job_per_core_finishes_in_one_job_and_a_start():
    assert finish_time([10 * MB, 10 * MB], 2, 2) == pytest.approx(10 * MB + WORKER_START)


def test_workers_beyond_the_cores_share_them():
    # three workers on two cores: each runs at two thirds of a core until the first three jobs end
    assert finish_time([6 * MB] * 3, 3, 2) == pytest.approx((6 * MB + WORKER_START) * 1.5)
    # two workers: the third job runs alone after the first two
    assert finish_time([6 * MB] * 3, 2, 2) == pytest.approx(12 * MB + WORKER_START)


def test_five_equal_releases_on_two_cores_take_three_workers():
    national = [17 * MB] * 5 + [MB // 20, MB // 50]     # five survey years, two small releases
    assert pool_workers(national, 2) == 3
    assert finish_time(sorted(national, reverse=True), 3, 2) < finish_time(sorted(national, reverse=True), 2, 2)


@pytest.mark.parametrize("sizes, cpus, workers", [
    ([5 * MB, 5 * MB], 2, 2),                 # as many jobs as cores
    ([5 * MB] * 4, 2, 2),                     # they split evenly
    ([9 * MB, MB, MB], 2, 2),                 # the big one is the tail anyway: no extra worker pays
    ([5 * MB] * 3, 2, 3),                     # the third would run alone
    ([5 * MB] * 3, 1, 1),                     # one core: more workers only add their starts
    ([17 * MB] * 5, 4, 5),
])
def test_the_fewest_workers_of_the_soonest_finish(sizes, cpus, workers):
    assert pool_workers(sizes, cpus) == workers
    best = finish_time(sorted(sizes, reverse=True), workers, cpus)
    for other in range(1, len(sizes) + 1):
        assert finish_time(sorted(sizes, reverse=True), other, cpus) >= best - 1e-6
