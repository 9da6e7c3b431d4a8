"""Bulk import of statements from CSV, TSV and JSON Lines files.

``quotes.ingest.importing.run.import_file`` streams the file, validates each row with
the foundation's rules and writes batches with set-based statements. The
reading modules (lines, formats, mapping) need no database.
"""
