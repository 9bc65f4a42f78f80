"""The report's statistics and sentences, on hand-worked cases."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t

from skpoison.report._format import budget_label, fmt, fmt_pm, pct
from skpoison.report._summary import (
    defence_rows,
    defence_sentence,
    describe,
    paired,
    worst_case,
)


def test_paired_harmful_by_hand():
    effect = paired([0.60, 0.62, 0.64], [0.50, 0.50, 0.50])
    # losses 0.10, 0.12, 0.14: mean 0.12, sd 0.02, t(0.975, 2) = 4.303
    assert effect.damage == pytest.approx(0.12)
    assert effect.half == pytest.approx(t.ppf(0.975, 2) * 0.02 / np.sqrt(3))
    assert effect.verdict == "harmful"
    assert describe(effect, "adjusted_rand") == (
        "ARI 0.620 → 0.500 (damage +0.120 ± 0.050)"
    )


def test_paired_noise_and_lower_is_better():
    noise = paired([0.6, 0.6, 0.6], [0.61, 0.59, 0.6])
    assert noise.damage == pytest.approx(0) and noise.verdict == "noise"
    assert describe(noise, "adjusted_rand").startswith(
        "no effect distinguishable from run-to-run noise at this budget"
    )
    # Davies-Bouldin: lower is better, so a rise is damage
    worse = paired([0.5, 0.6, 0.7], [0.8, 0.9, 1.0], higher=False)
    assert worse.damage == pytest.approx(0.3) and worse.verdict == "harmful"
    better = paired([0.5, 0.6, 0.7], [0.8, 0.9, 1.0], higher=True)
    assert better.verdict == "helpful"


def test_paired_degenerate_cases_in_words():
    perfect = paired([1.0, 1.0], [1.0, 1.0])
    assert perfect.verdict == "constant"
    text = describe(perfect, "adjusted_rand")
    assert text == "no change: ARI is 1.00 in every run, clean and poisoned"
    undefined = paired([0.5, np.nan], [0.4, 0.3])
    assert undefined.verdict == "undefined"
    assert "undefined" in describe(undefined, "silhouette")
    one = paired([0.6], [0.2])
    assert one.verdict == "noise" and np.isnan(one.half)
    assert describe(one, "adjusted_rand").startswith("one repeat only")


def test_formatter_is_consistent():
    assert [fmt(v) for v in (0.61534, 68.595, 107.2, 1.0, 0.0)] == [
        "0.615",
        "68.6",
        "107",
        "1.00",
        "0.00",
    ]
    assert fmt(np.int64(5)) == "5" and fmt(None) == "–"
    assert fmt_pm(-0.01043, 0.0213) == "−0.010 ± 0.021"
    assert fmt_pm(12.345, 3.21) == "+12.3 ± 3.2"
    assert pct(0.05) == "5 %" and budget_label("semi-supervised", 0.3) == "0.3"
    assert budget_label("kmeans", 0.3) == "30 %"


def _frame(section, attack, budget, clean, poisoned, **extra):
    n = len(clean)
    return pd.DataFrame(
        {
            "section": section,
            "attack": attack,
            "param_value": budget,
            "repeat": np.arange(n),
            "clean_adjusted_rand": clean,
            "poisoned_adjusted_rand": poisoned,
            **extra,
        }
    )


def test_worst_case_names_only_harmful_attacks():
    clean = [0.60, 0.62, 0.64]
    curves = pd.concat(
        [
            _frame("kmeans", "bridge", 0.05, clean, [0.61, 0.60, 0.65]),
            _frame("kmeans", "mimicry", 0.05, clean, [0.59, 0.63, 0.62]),
            _frame("kmeans", "bridge", 0.3, clean, [0.40, 0.41, 0.45]),
            _frame("kmeans", "mimicry", 0.3, clean, [0.50, 0.52, 0.53]),
        ]
    )
    low, high = worst_case(curves, "kmeans", "adjusted_rand", ["bridge", "mimicry"])
    assert low.attack is None and low.n_harmful == 0
    assert high.attack == "bridge" and high.n_harmful == 2
    assert high.effect.damage == pytest.approx(np.mean([0.2, 0.21, 0.19]))


def test_defence_table_says_when_it_made_things_worse():
    clean = [0.60, 0.62, 0.64]
    rows = dict(survival_rate=[np.nan] * 3)
    curves = pd.concat(
        [
            _frame("kmeans", "mimicry", 0.3, clean, [0.50, 0.52, 0.53], **rows),
            _frame(
                "defence",
                "mimicry",
                0.3,
                [0.60, 0.61, 0.62],
                [0.40, 0.43, 0.42],
                survival_rate=[1.0, 1.0, 0.9],
            ),
        ]
    )
    (row,) = defence_rows(curves, "adjusted_rand")
    (cell,) = row.cells
    assert cell.helped == "down"
    assert cell.gain == pytest.approx(np.mean([-0.10, -0.09, -0.11]))
    assert cell.survival == pytest.approx(29 / 30)
    assert defence_sentence(row) == "Mimicry: the defence made it worse at 30 %."
    # the defence's cost on clean data: 0.62 -> 0.61
    assert row.cost.damage == pytest.approx(0.01)


def test_summary_leads_with_worst_case_with_and_without_defence():
    from sklearn.utils import Bunch

    from skpoison.report._summary import summarise

    clean = [0.60, 0.62, 0.64]
    fc = {"false_confidence": [False] * 3}
    curves = pd.concat(
        [
            _frame("kmeans", "bridge", 0.1, clean, [0.40, 0.41, 0.45], **fc),
            _frame("kmeans", "mimicry", 0.1, clean, [0.61, 0.60, 0.65], **fc),
            _frame(
                "defence",
                "bridge",
                0.1,
                clean,
                [0.61, 0.62, 0.63],
                survival_rate=[0.0] * 3,
                **fc,
            ),
            _frame(
                "defence",
                "mimicry",
                0.1,
                clean,
                [0.50, 0.51, 0.52],
                survival_rate=[1.0] * 3,
                **fc,
            ),
        ]
    )
    data = Bunch(y=np.array([0, 1]), target_names=["a", "b"], n_clusters=2)
    out = summarise(curves, data, None, None, "DBSCAN clean-up (x)")
    assert out.baseline.value == "0.620" and out.baseline.n == 3
    (row,) = out.worst
    assert row.budget == "10 %" and row.attack == "Bridge"
    assert row.text.startswith("ARI 0.620 → 0.420")
    # behind the defence the bridge is stopped and mimicry does the damage
    assert row.guarded_attack == "Mimicry"
    assert row.guarded_text.startswith("ARI 0.620 → 0.510")
    sentences = [item.sentence for item in out.defence]
    assert sentences == [
        "Bridge: the defence reduced the damage at 10 %.",
        "Mimicry: the defence made it worse at 10 %.",
    ]


@pytest.mark.parametrize("n_repeats", [2, 3])
def test_false_confidence_needs_three_repeats_to_be_assessed(n_repeats):
    from sklearn.utils import Bunch

    from skpoison.report._summary import summarise

    clean = [0.60, 0.62, 0.64][:n_repeats]
    poisoned = [0.40, 0.41, 0.45][:n_repeats]
    fc = {"false_confidence": [False] * n_repeats}
    curves = _frame("kmeans", "bridge", 0.1, clean, poisoned, **fc)
    data = Bunch(y=np.array([0, 1]), target_names=["a", "b"], n_clusters=2)
    bullets = " ".join(summarise(curves, data, None, None, "x").bullets)
    if n_repeats < 3:
        assert "False confidence was not assessed" in bullets
        assert "this run made 2" in bullets and "No false confidence" not in bullets
    else:
        assert "No false confidence" in bullets and "not assessed" not in bullets


def test_report_and_runner_agree_on_the_repeats_a_flag_needs():
    # The report says "not assessed" below the runner's own minimum.
    from skpoison.model_selection import _evaluate
    from skpoison.report._summary import FLAG_MIN_REPEATS

    assert FLAG_MIN_REPEATS == _evaluate._MIN_FLAG_REPEATS
