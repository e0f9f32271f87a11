# Test sources of tests/app/ (paths relative to tests/)
# test_progress.cpp checks the progress display directly, so its source is built in.
list(APPEND RIPPLE_TEST_SOURCES app/test_cli.cpp app/test_progress.cpp ../sim/app/progress.cpp)
list(APPEND RIPPLE_TEST_SOURCES app/test_docs.cpp)
