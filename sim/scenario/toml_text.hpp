// TOML values written back as TOML text: the `key=value` overrides that sweeps, trials
// and overlays build from a file's values, and the messages that quote what a user
// wrote. One writer for all of them, so a value means the same wherever it is passed on.
// For the libraries that read TOML themselves (scenario, sweep, trial).
#pragma once
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

namespace ripple::scenario {

// A TOML basic string: quoted, with quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view s);

// A value as it is written after `key=`: integers as they are, reals with a decimal point
// (so 2.0 stays a real), booleans, quoted strings; nothing for tables, arrays, dates and
// times, which an override cannot hold.
std::optional<std::string> toml_text(const toml::node& node);

// toml_text, or else what the value is ("a table", "an array", "[]", "a date"), for
// messages.
std::string toml_shown(const toml::node& node);

}  // namespace ripple::scenario
