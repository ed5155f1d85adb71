"""The scorer compares like with like: our party codes are written the gold's way first."""

from ittisal.quality.evaluation import _gold_codes


def test_organisations_other_than_the_un_and_the_eu_score_as_igo():
    # the gold writes the GCC secretary-general as `IGO` with `org: GCC` (shared/corpus/README.md)
    assert _gold_codes(["YEM", "GCC"]) == ("IGO", "YEM")
    assert _gold_codes(["ARL", "EGY"]) == ("EGY", "IGO")
    assert _gold_codes(["UN", "MAR"]) == ("MAR", "UN")
    assert _gold_codes(["EU", "TUR"]) == ("EU", "TUR")
    assert _gold_codes(["SAU", "JOR"]) == ("JOR", "SAU")
