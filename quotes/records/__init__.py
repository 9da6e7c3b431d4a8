"""The records people curate.

Quotes, speakers and their aliases and roles, sources, topics and their links.
"""
