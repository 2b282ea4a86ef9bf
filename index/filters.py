"""Search filters and roles, applied inside the searches (a mask over the passages, which names the ones Chroma may
return and weights BM25), never after top-k."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, field_validator

Role = Literal["public", "member"]


def date_number(iso: str | None) -> int:
    """'2024-03-14' -> 20240314; no date -> 0, for comparisons over a column of dates."""
    return int(iso.replace("-", "")) if iso else 0


class SearchFilters(BaseModel):
    meeting_date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="Exact meeting date.")
    date_from: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="Earliest meeting date.")
    date_to: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="Latest meeting date.")
    source: str | None = Field(None, max_length=500, description="Ingested file name.")
    minute_number: str | None = Field(
        None, pattern=r"^\d{1,5}(?:/\d{2,4})?$", description="Minute number as the minutes write it: 113, 26/23."
    )
    agenda_item: str | None = Field(
        None, pattern=r"^[A-Za-z0-9.]{1,12}$", description="Agenda item as the papers write it: 5, B3."
    )
    kind: str | None = Field(None, max_length=40, description="Passage kind, e.g. decision.")
    body: str | None = Field(None, max_length=200, description="Meeting body.")

    @field_validator("meeting_date", "date_from", "date_to")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value} is not a calendar date: use YYYY-MM-DD, e.g. 2024-03-14") from None
        return value

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())

    def conditions(self, role: Role) -> list[tuple[str, str, object]]:
        """(passage field, operator, value) triples; the role's restriction is one of them."""
        conds: list[tuple[str, str, object]] = []
        if role != "member":
            conds.append(("restricted", "==", 0))
        if self.meeting_date:
            conds.append(("date_num", "==", date_number(self.meeting_date)))
        if self.date_from:
            conds.append(("date_num", ">=", date_number(self.date_from)))
        if self.date_to:
            conds.append(("date_num", "<=", date_number(self.date_to)))
        for key in ("source", "minute_number", "agenda_item", "kind", "body"):
            value = getattr(self, key)
            if value:
                conds.append((key, "==", value))
        return conds

    def mask(self, columns: dict[str, np.ndarray], role: Role) -> np.ndarray:
        """Boolean mask over the keyword index's rows, from the same conditions."""
        size = len(next(iter(columns.values()))) if columns else 0
        allowed = np.ones(size, dtype=bool)
        for key, op, value in self.conditions(role):
            column = columns[key]
            if op == "==":
                allowed &= column == value
            elif op == ">=":
                allowed &= column >= value
            else:
                allowed &= column <= value
        return allowed
