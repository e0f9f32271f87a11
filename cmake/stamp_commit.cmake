# Writes the commit Ripple is built from into ripple/git_commit.hpp, at every build
# rather than at configure time (a rebuild after new commits would otherwise stamp the
# old commit into every run file). The file is rewritten only when the text changes, so
# an unchanged commit rebuilds nothing.
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -P stamp_commit.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT commit)
  set(commit "unknown")
else()
  # Sources that differ from the commit are marked, so a run file never claims a commit
  # whose code it was not built from.
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE dirty ERROR_QUIET)
  if(NOT dirty EQUAL 0)
    string(APPEND commit "-modified")
  endif()
endif()
set(text "#pragma once\nnamespace ripple {\ninline constexpr const char* kGitCommit = \"${commit}\";\n}  // namespace ripple\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
