"""Every declared rule's example sentences, run through its family's checker (rules as data).

Generated from src/sitroom/rules/*.toml: each `positive` sentence must make its rule fire in the
component that uses it, each `negative` must not. A family registers by naming its checker
(`checker = "module:function"` under `[family]`); a new rule file needs no edit here.
"""

import pytest

from sitroom import rules


def _examples():
    for family in rules.families():
        for rule in rules.load(family):
            for i, sentence in enumerate(rule.positive):
                yield pytest.param(family, rule.name, sentence, True, id=f"{family}/{rule.name}/+{i}")
            for i, sentence in enumerate(rule.negative):
                yield pytest.param(family, rule.name, sentence, False, id=f"{family}/{rule.name}/-{i}")


@pytest.mark.parametrize("family, name, sentence, fires", list(_examples()))
def test_rule_examples_behave_as_declared(family, name, sentence, fires):
    check = rules.checker(family)
    assert check(rules.load(family)[name], sentence) is fires, f"{family}/{name} on {sentence!r}"


@pytest.mark.parametrize("family", rules.families())
def test_every_rule_has_a_positive_and_a_negative_example(family):
    fam = rules.load(family)
    assert fam.checker, f"{family}.toml names no checker"
    missing = [r.name for r in fam if not r.positive or not r.negative]
    assert not missing, f"{family}: rules without both kinds of example: {missing}"


def test_a_rule_file_with_two_rules_of_one_name_is_refused(tmp_path, monkeypatch):
    (tmp_path / "dupes.toml").write_text(
        '[family]\nchecker = "x:y"\n[[rule]]\nname = "a"\nterms = ["x"]\n[[rule]]\nname = "a"\nterms = ["y"]\n'
    )
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    rules.load.cache_clear()
    try:
        with pytest.raises(rules.RuleError, match="unique"):
            rules.load("dupes")
    finally:
        rules.load.cache_clear()


def test_terms_match_whole_words_with_any_spacing_and_declared_case():
    fam_rule = rules._compile("t", {"name": "n", "terms": ["air strike", "UAV"], "case_sensitive": True}, rules.RULES_DIR / "t.toml")
    assert fam_rule.search("an air\n strike hit") and fam_rule.search("a UAV fell")
    assert not fam_rule.search("a uav fell") and not fam_rule.search("hair striker")
