"""The stage runner checks contracts when it is built, not mid-run."""

import pytest

from sitroom.errors import PipelineError
from sitroom.pipeline import Batch, Pipeline, stage


@stage("read", requires=["sources"], assigns=["articles"])
def read(batch: Batch) -> None:
    batch.articles = [object()]  # type: ignore[list-item]


@stage("analyse", requires=["articles"], assigns=["analyses"])
def analyse(batch: Batch) -> None:
    batch.analyses = list(batch.articles)  # type: ignore[arg-type]


def test_pipeline_runs_stages_in_order():
    seen = []
    batch = Pipeline([read, analyse]).run(Batch(sources=["x"]), on_stage=seen.append)
    assert seen == ["read", "analyse"]
    assert len(batch.analyses) == 1


def test_pipeline_refuses_a_stage_before_its_inputs_exist():
    with pytest.raises(PipelineError, match="'analyse' needs \\['articles'\\]"):
        Pipeline([analyse, read])


def test_pipeline_refuses_unknown_fields():
    @stage("bad", assigns=["nonsense"])
    def bad(batch: Batch) -> None: ...

    with pytest.raises(PipelineError, match="unknown batch fields"):
        Pipeline([bad])

