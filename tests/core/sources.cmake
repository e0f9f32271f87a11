# Test sources of tests/core/ (paths relative to tests/)
