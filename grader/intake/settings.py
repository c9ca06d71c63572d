"""How submissions are read: the bounds on untrusted files and, for form exports, the columns."""
from __future__ import annotations

from dataclasses import dataclass

from grader.base.limits import DEFAULT_LIMITS, Limits
from grader.intake.form_columns import FormColumns


@dataclass(frozen=True)
class Intake:
    limits: Limits = DEFAULT_LIMITS
    columns: FormColumns = FormColumns()


DEFAULT_INTAKE = Intake()
