# Test sources of tests/calibration/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES calibration/test_calibration.cpp calibration/test_targets.cpp)
list(APPEND RIPPLE_TEST_LIBRARIES ripple_calibrate)
