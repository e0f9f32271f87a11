# Test sources of tests/repro/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES repro/test_reproducibility.cpp)
