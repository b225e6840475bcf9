"""The townplan pytest plugin: fixtures for tests that use a ledger."""
