"""Discussions (讨论区) of online courses and their units (ADR 0724-0725)."""
