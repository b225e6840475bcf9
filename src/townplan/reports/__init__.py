"""Reports: the bulletin, the year summary and the ranking notice, and their renderers."""
