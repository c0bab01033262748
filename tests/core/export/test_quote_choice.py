"""How quotes are chosen for display: distinct participants, then both roles' voices."""

from coder.core.export.quotes import pick_quotes


def test_quotes_spread_across_participants_then_roles():
    # passage index = preference (lower is better); p1..p3 participants, pr1 a practitioner
    lists = {"p1": [0, 5], "p2": [1], "p3": [2], "pr1": [3]}
    role = {"p1": "participant", "p2": "participant", "p3": "participant", "pr1": "practitioner"}.get
    plain = pick_quotes(lists, 3, key=lambda i: (i,))
    assert plain == [("p1", 0), ("p2", 1), ("p3", 2)]
    spread = pick_quotes(lists, 3, key=lambda i: (i,), spread=role)
    assert spread == [("p1", 0), ("pr1", 3), ("p2", 1)]
    assert pick_quotes(lists, 6, key=lambda i: (i,), spread=role)[-1] == ("p1", 5)  # second quotes only when needed
