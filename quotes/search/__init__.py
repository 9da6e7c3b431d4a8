"""Finding statements again.

Filters, full-text search, search by meaning, and the hybrid of both.
"""
