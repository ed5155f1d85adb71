"""`ittisal eval --corpus`: run the real pipeline on each gold set of a corpus folder and score it.

Each set is landed in a home of its own, so one set's articles never join another's events,
and the sets run one after another in a fixed order, so the output is the same on every run.
The scoring itself is `ittisal.quality.evaluation`; this module only lands, runs and collects.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ittisal.quality.evaluation import Evaluation, evaluate_warehouse
from ittisal.settings import LOCATION_VARIABLES, Settings
from pipelines.instance import write_instance_settings


@dataclass(frozen=True)
class GoldSet:
    """A set of the corpus folder: what to land (files, or a glob of raw pages) and its gold."""

    name: str
    slug: str
    articles: str  # a path or a glob, relative to the corpus folder
    gold: str

    def files(self, corpus: Path) -> list[Path]:
        return sorted(corpus.glob(self.articles))


# the layout of `shared/corpus` (its README); raw pages land as a folder, feeds as one file
GOLD_SETS = (
    GoldSet("seeds", "seeds", "seeds/*.txt", "seeds.gold.jsonl"),
    GoldSet("dev", "dev", "dev/articles.jsonl", "dev/gold.jsonl"),
    GoldSet("dev2 tune", "dev2-tune", "dev2/tune/articles.jsonl", "dev2/tune/gold.jsonl"),
    GoldSet("dev2 check", "dev2-check", "dev2/check/articles.jsonl", "dev2/check/gold.jsonl"),
)



@contextlib.contextmanager
def _home_environment(home: Path) -> Iterator[Settings]:
    """The `ITTISAL_*` and `DAGSTER_HOME` variables of `home` while the job runs (its steps
    read their locations from them), restored afterwards. A set always runs the local
    profile: its home is a folder of its own, whatever the deployment's variables say."""
    saved = dict(os.environ)
    for var in LOCATION_VARIABLES:
        os.environ.pop(var, None)
    os.environ["ITTISAL_ENV"] = "local"
    os.environ["ITTISAL_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    try:
        yield Settings.from_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def land_set(gold_set: GoldSet, corpus: Path, landing: Path) -> None:
    files = gold_set.files(corpus)
    if len(files) == 1 and files[0].suffix == ".jsonl":
        shutil.copyfile(files[0], landing / f"{gold_set.slug}.jsonl")
        return
    target = landing / gold_set.slug
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, target / path.name)


def run_set(gold_set: GoldSet, corpus: Path, home: Path) -> Evaluation:
    """Land one set in the empty `home`, run `process_landing` there, score its warehouse."""
    from pipelines.cli import execute_landing_job

    shutil.rmtree(home, ignore_errors=True)
    (home / "landing").mkdir(parents=True)
    (home / "dagster").mkdir()
    # a private instance: no telemetry banner in the middle of the table
    write_instance_settings(home / "dagster", telemetry=False)
    land_set(gold_set, corpus, home / "landing")
    with _home_environment(home) as settings, contextlib.redirect_stdout(io.StringIO()):
        result = execute_landing_job(settings, "ERROR")
    if not result.success:
        raise RuntimeError(f"the pipeline failed on {gold_set.name} (home {home})")
    return evaluate_warehouse(settings.warehouse, corpus / gold_set.gold)


def evaluate_corpus(corpus: Path, work: Path | None = None,
                    log: Callable[[str], None] = print) -> dict[str, Evaluation]:
    """Each set of `corpus` that is there, run and scored in `GOLD_SETS` order; a missing set
    is reported through `log` and skipped. Homes go under `work` (kept) or a temporary folder
    (removed)."""
    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="ittisal-eval-")))
        evaluations: dict[str, Evaluation] = {}
        for gold_set in GOLD_SETS:
            if not (corpus / gold_set.gold).is_file() or not gold_set.files(corpus):
                log(f"skipped {gold_set.name}: no {gold_set.articles} with {gold_set.gold} "
                    f"in {corpus}")
                continue
            log(f"running {gold_set.name} …")
            evaluations[gold_set.name] = run_set(gold_set, corpus, root / gold_set.slug)
        return evaluations
