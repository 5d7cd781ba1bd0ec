"""One search interface over the resource libraries, whatever the engine behind it (ADR 0505).

Text is cut into words by jieba before it reaches the engine, so that the engines' own
tokenisers (SQLite FTS5 ``unicode61``, PostgreSQL's ``simple`` configuration) only split on
the spaces we put between words. ``engine()`` picks the engine of the database in use; a
search server for a province-scale deployment is another class with the same three methods.
"""

import logging
import re
from typing import Protocol

import jieba
from django.db import connection

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"\w", re.UNICODE)


def segment(text: str) -> list[str]:
    """The words of ``text``, lowercased, in the search mode of jieba (long words also cut
    into their shorter words, so that a query for 数控 finds 数控加工)."""
    return [w.lower() for w in jieba.cut_for_search(text) if _WORD.search(w)]


def words_text(text: str) -> str:
    return " ".join(segment(text))


class SearchEngine(Protocol):
    def index(self, *, resource_id: int, title_words: str, body_words: str) -> None: ...

    def remove(self, *, resource_id: int) -> None: ...

    def ranked(self, *, words: list[str], limit: int) -> list[tuple[int, float]]:
        """Resource ids matching every word, best first, with a score (higher is better)."""
        ...


def engine() -> SearchEngine:
    if connection.vendor == "postgresql":
        from openvet.resources.search.postgres import PostgresEngine

        return PostgresEngine()
    from openvet.resources.search.sqlite import SqliteEngine

    return SqliteEngine()
