"""How positions move.

Periods, per-period aggregation, timeline queries, shift detection, and the
files and charts that show them.
"""
