"""Stage five: the Report every renderer reads."""

from apidiff.report.build import build_service_report
from apidiff.report.report import ChangeRecord, OperationReport, Report, ServiceReport

__all__ = ["ChangeRecord", "OperationReport", "Report", "ServiceReport", "build_service_report"]
