"""The cascade hypothesis check: the analyst's chain beside the simulated red order."""

from __future__ import annotations

from app.sim.hypothesis import check_cascade


def test_chain_that_matches_the_simulation():
    check = check_cascade(["llm", "engine", "gateway"], [("llm", 2.0), ("engine", 19.0), ("gateway", 66.0)])
    assert [r.verdict for r in check.rows] == ["agrees"] * 3
    assert check.agreements == 3
    assert check.differences == 0
    assert check.summary().startswith("3 of 3 steps")


def test_never_red_out_of_order_and_extra_nodes_are_marked():
    check = check_cascade(["cache", "vectordb", "engine", "users"],
                          [("engine", 2.0), ("vectordb", 19.0), ("llm", 5.0)])
    verdicts = {r.node: r.verdict for r in check.rows}
    assert verdicts == {"cache": "never red", "vectordb": "out of order", "engine": "out of order",
                        "users": "never red", "llm": "not in the chain"}
    extra = next(r for r in check.rows if r.node == "llm")
    assert extra.analyst_position is None
    assert extra.simulated_position == 3
    assert "1 more node turned red outside the chain" in check.summary()


def test_a_missing_link_does_not_spoil_the_rest_of_the_order():
    check = check_cascade(["llm", "engine", "gateway"], [("llm", 1.0), ("gateway", 9.0)])
    assert [r.verdict for r in check.rows] == ["agrees", "never red", "agrees"]


def test_empty_path():
    assert check_cascade([], []).summary() == "The cascade has no path to check."
