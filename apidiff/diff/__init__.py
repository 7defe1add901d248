"""Stage three: what changed between two models of a service, and which operations it reaches.

Where each change kind is detected: `kinds.py` lists them all, with the module that finds
each. `delta.py` builds the per-operation request/response deltas of the release notes, drawing
new and removed members with `skeleton.py`.
"""

from apidiff.diff.change import Change
from apidiff.diff.delta import EMPTY_DELTA, DeltaTree
from apidiff.diff.kinds import ENDPOINT_KINDS, ChangeKind
from apidiff.diff.model_diff import ModelDiff, OperationDelta, ProjectedChange, diff_models
from apidiff.diff.projection import Reach
from apidiff.diff.skeleton import EnumString, PlainSkeleton, Skeleton, plain_skeleton

__all__ = [
    "EMPTY_DELTA",
    "ENDPOINT_KINDS",
    "Change",
    "ChangeKind",
    "DeltaTree",
    "EnumString",
    "ModelDiff",
    "OperationDelta",
    "PlainSkeleton",
    "ProjectedChange",
    "Reach",
    "Skeleton",
    "diff_models",
    "plain_skeleton",
]
