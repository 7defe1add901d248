"""Stage four: how much each change matters, per perspective (sdk, stubber, wire).

`rules.py` is the table of every rule; `classifier.py` applies it where each change meets
the callers of an operation.
"""

from apidiff.classify.classifier import Classification, classify_changes, fingerprint
from apidiff.classify.rules import RULES, RULES_BY_ID, Rule
from apidiff.classify.severity import Perspective, Severity

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Classification",
    "Perspective",
    "Rule",
    "Severity",
    "classify_changes",
    "fingerprint",
]
