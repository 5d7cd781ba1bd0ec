"""Course groups and their shared documents with version history (ADR 0756-0757)."""
