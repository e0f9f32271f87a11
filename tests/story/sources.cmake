# Test sources of tests/story/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES story/test_stories.cpp)
list(APPEND RIPPLE_TEST_SOURCES story/test_story_excluded_pallbearer.cpp)
list(APPEND RIPPLE_TEST_SOURCES story/test_story_including_workplace.cpp)
