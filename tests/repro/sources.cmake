# Test sources of tests/repro/ (paths relative to tests/)
