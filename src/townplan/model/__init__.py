"""The domain model: records, money, periods and deadlines, policies. Knows nothing of SQLite."""
