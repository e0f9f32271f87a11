// The two kinds of failure Ripple distinguishes. A user error (a bad scenario,
// argument or input file, an output that cannot be written) exits with code 2
// and a message in plain words; an internal error is a bug, exits with code 1
// and names the source location.
#pragma once

#include <stdexcept>
#include <string>

namespace ripple {

// Something the user can fix: the message names the file, line, field, what was
// given and what is allowed. It may hold several lines, one per problem.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A broken invariant: a bug in Ripple, never caught to carry on.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void internal_error(const char* file, int line, const std::string& what);

}  // namespace ripple

#define RIPPLE_CHECK(cond, what)                                     \
  do {                                                               \
    if (!(cond)) ::ripple::internal_error(__FILE__, __LINE__, what); \
  } while (false)
