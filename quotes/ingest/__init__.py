"""Getting statements in.

Bulk import of CSV/TSV/JSONL, quotation extraction from articles, and the
bundled seed data.
"""
