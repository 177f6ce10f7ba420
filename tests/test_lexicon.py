"""The shared victim lexicon: each phrase gets a group and a kind the rest of the code knows."""

from __future__ import annotations

import re

import pytest

from sitroom import rules
from sitroom.rules.lexicon import labels_of, victim_group


def test_a_victim_phrase_reads_its_group_and_kind():
    assert victim_group("Syrian soldiers") == ("security_forces", "military")
    assert victim_group("two young children") == ("civilians", "civilians")
    assert victim_group(None) == ("unspecified", "unknown")


def test_a_victims_rule_with_an_unknown_kind_is_refused_by_name():
    bad = rules.Rule("victims", "robots", "robots?", re.compile(r"\brobots?\b"), data={"group": "militants", "kind": "machines"})
    with pytest.raises(ValueError, match="'robots'.*'machines'"):
        labels_of(bad)
    good = rules.Rule("victims", "rebels", "rebels?", re.compile(r"\brebels?\b"), data={"group": "militants", "kind": "armed_group"})
    assert labels_of(good) == ("militants", "armed_group")
