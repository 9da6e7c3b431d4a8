"""Finding quotations in news articles and attributing them to speakers.

A rule-based reader: no model to load, so `quotes extract` starts instantly and
its choices can be explained. The public surface is :func:`extract_quotations`
(and :func:`extract`, which also reports quotation marks left open).
"""

from quotes.ingest.extraction.candidates import Candidate, Extraction
from quotes.ingest.extraction.extract import extract, extract_quotations

__all__ = ["Candidate", "Extraction", "extract", "extract_quotations"]
