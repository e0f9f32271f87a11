# Test sources of tests/trial/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES trial/test_trial_stats.cpp trial/test_trial_file.cpp
                                trial/test_trial_run.cpp trial/test_trial_work.cpp
                                trial/test_trial_lonely.cpp trial/test_entry_clinician.cpp)
list(APPEND RIPPLE_TEST_LIBRARIES ripple_trial)
