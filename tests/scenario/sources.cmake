# Test sources of tests/scenario/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES scenario/test_params.cpp scenario/test_scenario.cpp)
list(APPEND RIPPLE_TEST_SOURCES scenario/test_range_checks.cpp)
list(APPEND RIPPLE_TEST_SOURCES scenario/test_characters.cpp)
