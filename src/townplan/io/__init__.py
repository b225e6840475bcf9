"""Interop: spreadsheets, JSON, OC4IDS, rollup, Datasette."""
