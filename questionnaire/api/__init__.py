"""The read-only JSON API (/api/v1) and its tokens."""
