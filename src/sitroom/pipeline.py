"""Stages with declared contracts, and a runner that checks their order when it is built.

A stage reads some fields of a `Batch` (`requires`) and fills others (`assigns`). Building a
`Pipeline` whose stage needs a field no earlier stage assigns raises `PipelineError` at once,
not at article 10,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sitroom.errors import PipelineError
from sitroom.model import Article, ArticleAnalysis, Rejection


@dataclass
class Batch:
    """The working set one run passes from stage to stage (mutable on purpose: stages fill it)."""

    sources: Sequence[str] = ()
    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unchanged: int = 0
    # The analyser's promise of this batch's analyses, between the `submit` and `analyse` stages.
    pending: Callable[[], list[ArticleAnalysis]] | None = None
    analyses: list[ArticleAnalysis] = field(default_factory=list)


class Stage(Protocol):
    """One pipeline step: a callable over a Batch with a declared contract."""

    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> frozenset[str]: ...

    @property
    def assigns(self) -> frozenset[str]: ...

    def __call__(self, batch: Batch) -> None: ...


@dataclass(frozen=True)
class FunctionStage:
    """A stage made from a plain function and its contract."""

    name: str
    func: Callable[[Batch], None]
    requires: frozenset[str]
    assigns: frozenset[str]

    def __call__(self, batch: Batch) -> None:
        self.func(batch)


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()) -> Callable[[Callable], FunctionStage]:
    """Decorator turning `func(batch)` into a stage with a contract."""

    def wrap(func: Callable[[Batch], None]) -> FunctionStage:
        return FunctionStage(name, func, frozenset(requires), frozenset(assigns))

    return wrap


_BATCH_FIELDS = frozenset(Batch.__dataclass_fields__)


class Pipeline:
    """An ordered list of stages, validated on construction."""

    def __init__(self, stages: Sequence[Stage], *, provided: Sequence[str] = ("sources",)) -> None:
        available = set(provided)
        for st in stages:
            unknown = (st.requires | st.assigns) - _BATCH_FIELDS
            if unknown:
                raise PipelineError(f"stage {st.name!r} names unknown batch fields {sorted(unknown)}")
            missing = st.requires - available
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} needs {sorted(missing)} but no earlier stage assigns it; "
                    f"move it after the stage that does"
                )
            available |= st.assigns
        self.stages = tuple(stages)

    def run(self, batch: Batch, *, on_stage: Callable[[str], None] | None = None) -> Batch:
        """Run every stage in order over `batch`."""
        for st in self.stages:
            if on_stage:
                on_stage(st.name)
            st(batch)
        return batch
