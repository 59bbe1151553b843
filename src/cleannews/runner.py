"""The run loop: documents in, cleaned documents out, in order — in this process or in a pool.

One loop serves the command line, the benchmark and the datatrove step, so they
clean the same way.  :class:`Runner` takes documents (:class:`~cleannews.docs.Doc`,
or :class:`~cleannews.readers.Failed` records that are passed through) and yields
one :class:`Outcome` per item, in input order, whatever the number of jobs.

With ``jobs > 1`` documents are cleaned by worker processes:

* the pipeline and its models are built and warmed in this process first and the
  workers are **forked** (where the platform allows), so models are loaded once
  and their pages shared copy-on-write; elsewhere (spawn) each worker builds the
  same pipeline from its :class:`PipelineSpec` once;
* documents travel in small batches and at most ``window`` batches are in flight,
  so memory stays flat however long the input stream is, and results are taken
  back in submission order, so output is byte-identical to ``jobs=1``;
* workers ignore SIGINT: Ctrl-C reaches this process only, which stops the pool.

A document on which the pipeline raises becomes an :class:`Outcome` with an
``error`` (the run goes on); each worker handles one document at a time and
knows nothing of the others, so no evidence crosses documents.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cleannews.docs import Doc
from cleannews.pipeline import Pipeline, Result

#: a short page that makes the default filters load their models (before workers fork).
WARM_TEXT = ("連包養合引領職工聽黨話、跟黨走,經由過程年夜會餐與加入任務。\n"
             "她看著他的眼睛,心里一陣酸楚,轉身走進了夜色里。\n")


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class PipelineSpec:
    """How to build a pipeline (picklable, for workers that cannot be forked)."""

    filters: tuple[str, ...] | None = None
    options: tuple[tuple[str, Any], ...] = ()
    held_out: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, filters: Iterable[str] | None = None, options: dict[str, Any] | None = None,
           held_out: frozenset[tuple[str, str]] = frozenset()) -> PipelineSpec:
        return cls(None if filters is None else tuple(filters), tuple(sorted((options or {}).items())),
                   frozenset(held_out))

    def build(self) -> Pipeline:
        """The pipeline, built once per process and spec (kept by :class:`~cleannews.resources.Resources`)."""
        from cleannews.resources import Resources

        resources = Resources.default()
        if self.held_out:
            resources = resources.holding_out(self.held_out)
        return resources.pipeline(None if self.filters is None else list(self.filters), dict(self.options))


@dataclass(slots=True)
class Outcome:
    """One item of a run: the document, and its result or why it failed."""

    doc: Any  # Doc or readers.Failed
    result: Result | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed


@dataclass
class Tally:
    """Running totals of a run (kept instead of the results, so memory stays flat)."""

    documents: int = 0
    changed: int = 0
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def add(self, outcome: Outcome) -> None:
        self.documents += 1
        doc = outcome.doc
        if isinstance(doc, Doc):
            self.bytes += doc.size
        if outcome.error is not None:
            self.failures.append((str(doc.id), outcome.error))
        if outcome.result is not None:
            self.changed += outcome.result.changed
            for name, n in outcome.result.counts().items():
                self.counts[name] = self.counts.get(name, 0) + n

    def fail(self, where: str, reason: str) -> None:
        """A failure outside any document (an input that could not be read or written)."""
        self.failures.append((where, reason))


def clean_one(pipeline: Pipeline, doc: Doc) -> Outcome:
    """Clean one document; a pipeline exception becomes the outcome's error."""
    try:
        return Outcome(doc, pipeline.run(doc.text, meta={"id": doc.id}))
    except Exception as exc:  # a filter bug fails this document, not the run
        return Outcome(doc, error=f"{type(exc).__name__}: {exc}"[:300])


class Runner:
    """Clean a stream of documents with ``jobs`` processes, keeping their order."""

    def __init__(self, spec: PipelineSpec | None = None, jobs: int = 1, *, batch_docs: int = 8,
                 batch_chars: int = 64_000, window: int | None = None) -> None:
        self.spec = spec or PipelineSpec()
        self.jobs = max(1, jobs)
        self.batch_docs = batch_docs
        self.batch_chars = batch_chars
        self.window = window or 4 * self.jobs
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """This process's pipeline (built on first use)."""
        if self._pipeline is None:
            self._pipeline = self.spec.build()
        return self._pipeline

    def run(self, items: Iterable[Any]) -> Iterator[Outcome]:
        """One :class:`Outcome` per item, in order.  A pool is started only when there are at
        least two items and ``jobs > 1`` (one document is cleaned here: no start-up cost)."""
        it = iter(items)
        head = list(itertools.islice(it, 2))
        stream = itertools.chain(head, it)
        if self.jobs == 1 or len(head) < 2:
            yield from self._local(stream)
        else:
            yield from self._pooled(stream)

    def _local(self, items: Iterable[Any]) -> Iterator[Outcome]:
        for item in items:
            yield clean_one(self.pipeline, item) if isinstance(item, Doc) else _failed(item)

    def _batches(self, items: Iterable[Any]) -> Iterator[list[Any]]:
        batch: list[Any] = []
        chars = 0
        for item in items:
            batch.append(item)
            chars += len(item.text) if isinstance(item, Doc) else 0
            if len(batch) >= self.batch_docs or chars >= self.batch_chars:
                yield batch
                batch, chars = [], 0
        if batch:
            yield batch

    def _pooled(self, items: Iterable[Any]) -> Iterator[Outcome]:
        fork = "fork" in mp.get_all_start_methods()
        if fork:
            global _WORKER_PIPELINE
            _WORKER_PIPELINE = self.pipeline
            _WORKER_PIPELINE.run(WARM_TEXT)  # load models here, once; forked workers share them
        ctx = mp.get_context("fork" if fork else "spawn")
        pool = ctx.Pool(self.jobs, initializer=_init_worker, initargs=(None if fork else self.spec,))
        pending: deque[tuple[list[Any], Any]] = deque()
        try:
            for batch in self._batches(items):
                work = [(d.text, d.id) for d in batch if isinstance(d, Doc)]
                pending.append((batch, pool.apply_async(_clean_batch, (work,))))
                while len(pending) >= self.window:
                    yield from _collect(*pending.popleft())
            while pending:
                yield from _collect(*pending.popleft())
            pool.close()
            pool.join()
        finally:
            pool.terminate()


_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(spec: PipelineSpec | None) -> None:
    """Pool initializer: Ctrl-C is the parent's business; build the pipeline if not inherited."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER_PIPELINE
    if spec is not None:
        _WORKER_PIPELINE = spec.build()
        _WORKER_PIPELINE.run(WARM_TEXT)


def _clean_batch(work: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
    """Worker side: each text cleaned on its own; results travel back without the input text."""
    assert _WORKER_PIPELINE is not None
    out: list[tuple[Any, ...]] = []
    for text, doc_id in work:
        try:
            r = _WORKER_PIPELINE.run(text, meta={"id": doc_id})
            out.append((r.cleaned, r.edits, r.scores, r.meta))
        except Exception as exc:
            out.append((f"{type(exc).__name__}: {exc}"[:300],))
    return out


def _collect(batch: list[Any], pending: Any) -> Iterator[Outcome]:
    answers = iter(pending.get())
    for item in batch:
        if not isinstance(item, Doc):
            yield _failed(item)
            continue
        answer = next(answers)
        if len(answer) == 1:
            yield Outcome(item, error=answer[0])
        else:
            cleaned, edits, scores, meta = answer
            yield Outcome(item, Result(item.text, cleaned, edits, scores, meta))


def _failed(item: Any) -> Outcome:
    return Outcome(item, error=getattr(item, "reason", "could not be read"))
