"""Getting statements out.

Quote exports (CSV, JSONL, Parquet) and the one safe way every command writes
an output file.
"""
