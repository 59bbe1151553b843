"""A datatrove pipeline step: clean ``Document.text`` with cleannews, at any scale datatrove runs.

Install with ``pip install 'cleannews[datatrove]'``.  The step uses the same run loop
(:class:`cleannews.runner.Runner`) as ``cleannews clean``, one document at a time, so a
datatrove run and the command line give the same text and the same per-document summary::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleannews.datatrove import CleanNews

    LocalPipelineExecutor(
        pipeline=[JsonlReader("shards/"), CleanNews(), JsonlWriter("cleaned/")],
        tasks=8, logging_dir="logs/",
    ).run()

Each document gets ``metadata["cleannews"]`` (changed flag, edit counts per filter,
scores; with ``edits=True`` every edit) and the step records datatrove stats:
``total``, ``changed``, ``failed`` and ``edits_<filter>``.  A document on which
cleaning fails keeps its text and gets ``{"changed": false, "error": ...}``.

The step holds only its settings (it is pickled to datatrove's workers); the
pipeline and its models load lazily in each task, once.  Parallelism comes from
datatrove's tasks (``jobs`` > 1 additionally forks cleannews workers per task).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise ModuleNotFoundError(
        "cleannews.datatrove needs datatrove: pip install 'cleannews[datatrove]'", name=exc.name
    ) from exc

from cleannews.docs import Doc
from cleannews.runner import PipelineSpec, Runner
from cleannews.writers import SUMMARY_KEY, doc_summary


class CleanNews(PipelineStep):
    """Repair spam terms, word spinning and spliced fiction in ``Document.text``."""

    name = "🧹 cleannews"
    type = "✂️ - FORMAT"

    def __init__(self, filters: Sequence[str] | None = None, options: dict[str, Any] | None = None,
                 *, edits: bool = False, summary_key: str = SUMMARY_KEY, jobs: int = 1) -> None:
        """``filters``: names as on the command line (default: all); ``options``: filter options
        (e.g. ``{"fiction_threshold": 6.0}``); ``edits``: keep every edit in the metadata."""
        super().__init__()
        self.spec = PipelineSpec.of(filters, options)
        self.edits = edits
        self.summary_key = summary_key
        self.jobs = jobs

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        runner = Runner(self.spec, self.jobs)
        docs = (Doc(str(d.id), d.text, {}, d) for d in data)
        for outcome in runner.run(docs):
            document = outcome.doc.source
            self.stat_update("total")
            if outcome.result is None:
                self.stat_update("failed")
            else:
                document.text = outcome.result.cleaned
                if outcome.result.changed:
                    self.stat_update("changed")
                for name, n in outcome.result.counts().items():
                    self.stat_update(f"edits_{name}", value=n)
            document.metadata[self.summary_key] = doc_summary(outcome.result, outcome.error, self.edits)
            self.update_doc_stats(document)
            yield document
