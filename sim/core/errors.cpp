#include "ripple/errors.hpp"

#include <fmt/format.h>

namespace ripple {

void internal_error(const char* file, int line, const std::string& what) {
  throw InternalError(fmt::format("internal error at {}:{}: {}", file, line, what));
}

}  // namespace ripple
