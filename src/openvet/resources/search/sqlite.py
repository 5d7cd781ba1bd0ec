"""SQLite FTS5 engine: one virtual table of the segmented words, ranked by BM25 with the title
weighing ten times the body."""

from django.db import connection

TABLE = "resources_search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, resource_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
)
TITLE_WEIGHT = 10.0

_TITLE_TIER = (
    f"SELECT resource_id, -bm25({TABLE}, %s, 1.0) AS score FROM {TABLE} "  # noqa: S608
    f"WHERE {TABLE} MATCH %s ORDER BY score DESC LIMIT %s"
)
# The body tier scores the newest matches (FTS5 walks its rows backwards cheaply), not every
# match: BM25 of a word found in 80,000 bodies is what made a search slow (ADR 0534).
_BODY_TIER = (
    f"SELECT resource_id, -bm25({TABLE}, %s, 1.0) AS score FROM {TABLE} "  # noqa: S608
    f"WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s"
)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SqliteEngine:
    def index(self, *, resource_id: int, title_words: str, body_words: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE resource_id = %s", [resource_id])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLE} (title, body, resource_id) VALUES (%s, %s, %s)",  # noqa: S608
                [title_words, body_words, resource_id],
            )

    def remove(self, *, resource_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE resource_id = %s", [resource_id])  # noqa: S608

    def ranked(self, *, words: list[str], limit: int) -> list[tuple[int, float]]:
        """Resources with every word in the title, best first; then, while there is room,
        resources with the words in the body only."""
        if not words:
            return []
        phrases = " ".join(_quoted(w) for w in words)
        with connection.cursor() as cursor:
            cursor.execute(_TITLE_TIER, [TITLE_WEIGHT, f"title : ({phrases})", limit])
            found = [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
            if len(found) < limit:
                body_only = f"({phrases}) NOT title : ({phrases})"
                cursor.execute(_BODY_TIER, [TITLE_WEIGHT, body_only, limit - len(found)])
                body = [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
                found += sorted(body, key=lambda pair: -pair[1])
        return found
