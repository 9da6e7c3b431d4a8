"""Bundled seed data: default topics and the seed article's quotations."""
