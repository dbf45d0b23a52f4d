"""Renderers: turn finished frames into text (terminal, CSV, JSON, Markdown, HTML).

Renderers never compute a metric; they only format what the model produced.
"""
