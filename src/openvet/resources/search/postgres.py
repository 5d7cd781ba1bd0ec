"""PostgreSQL full-text engine over the segmented words (``simple`` configuration: no
stemming, the words are already cut), ranked by ``ts_rank`` with the title in weight A."""

from django.db import connection

# The GIN index of migration 0002 is built on this very expression, so the planner uses it.
VECTOR = (
    "(setweight(to_tsvector('simple', title_words), 'A') || "
    "setweight(to_tsvector('simple', body_words), 'B'))"
)


class PostgresEngine:
    def index(self, *, resource_id: int, title_words: str, body_words: str) -> None:
        """Nothing to do: the index is on ``SearchText``, written by the service."""

    def remove(self, *, resource_id: int) -> None:
        """Nothing to do: the ``SearchText`` row goes with its resource."""

    def ranked(self, *, words: list[str], limit: int) -> list[tuple[int, float]]:
        if not words:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT resource_id, ts_rank({VECTOR}, plainto_tsquery('simple', %s)) AS score "  # noqa: S608
                f"FROM resources_searchtext WHERE {VECTOR} @@ plainto_tsquery('simple', %s) "
                "ORDER BY score DESC LIMIT %s",
                [" ".join(words), " ".join(words), limit],
            )
            return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
