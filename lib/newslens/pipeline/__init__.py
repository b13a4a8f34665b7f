"""The runner: the stage registry and graph, running (here, in worker processes or on Dask), the run
log and table writing. The names callers use are here:

    from newslens.pipeline import analyze, run_stages, write_tables, RunLog, stage_names
"""
from newslens.core.stage import Settings, Stage
from newslens.pipeline.graph import upstream_stages, wave_of
from newslens.pipeline.registry import STAGES, stage_names
from newslens.pipeline.run import analyze, is_internal, run_stages
from newslens.pipeline.runlog import RunLog, StepTime
from newslens.pipeline.tables import write_tables
from newslens.pipeline.tracked import TrackedTables, batch_corpus

__all__ = [
    "STAGES", "RunLog", "Settings", "Stage", "StepTime", "TrackedTables", "analyze", "batch_corpus", "is_internal",
    "run_stages", "stage_names", "upstream_stages", "wave_of", "write_tables",
]
