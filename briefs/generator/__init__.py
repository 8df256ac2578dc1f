"""Synthetic briefs for load tests and benchmarks (`manage.py generate_briefs`)."""

from .briefs import BriefGenerator, GenerationStats
from .rows import insert_rows, make_unique, reserve_ids
from .words import UN_MEMBERS

__all__ = [
    "UN_MEMBERS",
    "BriefGenerator",
    "GenerationStats",
    "insert_rows",
    "make_unique",
    "reserve_ids",
]
