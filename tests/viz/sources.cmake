# Test sources of tests/viz/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES viz/test_query.cpp viz/test_view_core.cpp viz/test_live_actions.cpp)
list(APPEND RIPPLE_TEST_LIBRARIES ripple_viz_core)

# The viewer itself, run as users and CI run it: a headless screenshot under Xvfb
# checked for size, content, legend and tie colours, the interactive window's settled
# picture grabbed from its own Xvfb screen, a truncated file refused, and bad requests
# (a week outside the run, a non-PNG screenshot, compare runs of two populations) refused.
# Skipped (exit 77) when ripple-view was not built or no X server can be had.
if(TARGET ripple-view)
  add_test(NAME "viewer screenshot of a fixture run"
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/viz/check_viewer.py screenshot
                   $<TARGET_FILE:ripple> $<TARGET_FILE:ripple-view> ${CMAKE_SOURCE_DIR})
  add_test(NAME "viewer window keeps the network once the layout settles"
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/viz/check_viewer.py window
                   $<TARGET_FILE:ripple> $<TARGET_FILE:ripple-view> ${CMAKE_SOURCE_DIR})
  add_test(NAME "viewer refuses a truncated run file"
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/viz/check_viewer.py truncated
                   $<TARGET_FILE:ripple> $<TARGET_FILE:ripple-view> ${CMAKE_SOURCE_DIR})
  add_test(NAME "viewer refuses a bad step, a non-PNG screenshot and runs of another population"
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/viz/check_viewer.py refusals
                   $<TARGET_FILE:ripple> $<TARGET_FILE:ripple-view> ${CMAKE_SOURCE_DIR})
  add_test(NAME "viewer cannot-open dialog closes on Esc and Q"
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/viz/check_viewer.py dialog
                   $<TARGET_FILE:ripple> $<TARGET_FILE:ripple-view> ${CMAKE_SOURCE_DIR})
  set_tests_properties("viewer screenshot of a fixture run"
                       "viewer window keeps the network once the layout settles"
                       "viewer refuses a truncated run file"
                       "viewer refuses a bad step, a non-PNG screenshot and runs of another population"
                       "viewer cannot-open dialog closes on Esc and Q"
                       PROPERTIES SKIP_RETURN_CODE 77)
endif()
