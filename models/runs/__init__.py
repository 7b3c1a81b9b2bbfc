"""Many runs of the simulation as independent jobs: replications with
confidence intervals, sweeps over a parameter, and the executors that run
them on local cores or a Dask cluster (docs/runs.md).

A job is a board, a scenario, interventions, a seed, a duration and optional
parameter overrides; its result is the JSON summary of one run, the same
dict ``cascade-board simulate --json`` prints. Each job's seed comes from a
base seed and the replication's index, so the results do not depend on
where, or in which order, the jobs ran.
"""
