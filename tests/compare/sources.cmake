# Test sources of tests/compare/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES compare/test_stats.cpp compare/test_compare.cpp)
