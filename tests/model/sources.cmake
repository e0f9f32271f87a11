# Test sources of tests/model/ (paths relative to tests/)
