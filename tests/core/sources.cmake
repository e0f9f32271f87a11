# Test sources of tests/core/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES core/test_rng.cpp core/test_blocks.cpp)
