# Test sources of tests/sweep/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES sweep/test_sweep_design.cpp sweep/test_sweep_command.cpp)
