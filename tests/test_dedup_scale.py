"""The scale benchmark's own arithmetic: pairwise scores and the median of repeated runs."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks.dedup_scale import Run, median_run, pairwise_scores


def test_pairwise_scores_count_pairs_within_clusters() -> None:
    truth = pd.Series(["a", "a", "a", "b", "c"])
    # one true pair split off, one false pair made: 3 true pairs, 2 predicted, 1 correct
    predicted = pd.Series([1, 1, 2, 3, 3])
    precision, recall, f1 = pairwise_scores(truth, predicted)
    assert precision == pytest.approx(1 / 2)
    assert recall == pytest.approx(1 / 3)
    assert f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))


def test_pairwise_scores_of_a_perfect_clustering() -> None:
    truth = pd.Series(["x", "y", "x"])
    assert pairwise_scores(truth, pd.Series(["p", "q", "p"])) == (1.0, 1.0, 1.0)


def test_median_run_takes_the_middle_time_and_the_largest_peak() -> None:
    runs = [Run("leads dedup", 10, seconds, peak, 1.0, 1.0, 1.0, 5)
            for seconds, peak in ((30.0, 100.0), (20.0, 300.0), (25.0, 200.0))]
    middle = median_run(runs)
    assert middle.seconds == 25.0
    assert middle.peak_rss_mb == 300.0
    assert median_run(runs[:2]).seconds == 20.0  # an even count: the lower of the middle two
