# Test sources of tests/analysis/ (paths relative to tests/); the checks themselves are
# Python scripts next to them, run with /usr/bin/python3.
list(APPEND RIPPLE_TEST_SOURCES analysis/test_analysis.cpp)
