"""Annotator: stance, hedging, attribution and rhetoric annotation for news articles."""

__version__ = "0.1.0"
