"""Assignments (作业) of online courses (ADR 0720-0723)."""
