"""Stage two: a parsed, validated and indexed service model."""

from apidiff.model.service_model import Edge, Position, ServiceModel, edges_of

__all__ = ["Edge", "Position", "ServiceModel", "edges_of"]
