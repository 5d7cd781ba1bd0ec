"""SQLite FTS5 engine: one virtual table of the segmented words, ranked by BM25 with the title
weighing ten times the body."""

from django.db import connection

TABLE = "resources_search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, resource_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
)
TITLE_WEIGHT = 10.0


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
        if not words:
            return []
        match = " ".join(_quoted(w) for w in words)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT resource_id, -bm25({TABLE}, %s, 1.0) AS score FROM {TABLE} "  # noqa: S608
                f"WHERE {TABLE} MATCH %s ORDER BY score DESC LIMIT %s",
                [TITLE_WEIGHT, match, limit],
            )
            return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
