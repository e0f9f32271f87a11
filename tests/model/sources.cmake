# Test sources of tests/model/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES model/test_ripple_propagation.cpp)
