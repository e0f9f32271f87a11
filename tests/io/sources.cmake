# Test sources of tests/io/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES io/test_run_file.cpp)
