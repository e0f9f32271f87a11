// What the run file writer and reader share: ownership of HDF5 handles, the HDF5
// error stack turned into plain words, and the on-disk record types, kept in one
// place so both sides read the layout of docs/OUTPUT.md the same way.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/errors.hpp"

namespace ripple::io::detail {

// Owns one HDF5 id and closes it with the matching H5?close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      close_ = other.close_;
    }
    return *this;
  }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  // Closing a dataset or file is where HDF5 writes what it has cached, so the
  // result matters to the writer: false means that final write failed.
  bool reset() noexcept {
    if (id_ < 0) return true;
    const herr_t status = close_(std::exchange(id_, H5I_INVALID_HID));
    return status >= 0;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// HDF5 prints its whole error stack to stderr by default; Ripple reports errors
// itself, in one line the user can act on.
inline void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// HDF5 1.10.7 and 1.12.1 began refusing files on filesystems without flock()
// (some NFS and Lustre mounts) unless told to carry on without the lock.
inline herr_t lock_if_possible(hid_t file_access) {
#if H5_VERSION_GE(1, 12, 1) || (H5_VERSION_GE(1, 10, 7) && !H5_VERSION_GE(1, 12, 0))
  return H5Pset_file_locking(file_access, true, true);
#else
  (void)file_access;
  return 0;
#endif
}

// The system reason for the HDF5 call that just failed, then clears the error
// stack. HDF5 records errno in its messages as "errno = N" (a format it promises
// to keep), which is more reliable than errno itself after HDF5 has unwound;
// `saved_errno` (errno right after the call) and HDF5's innermost message are
// the fallbacks.
// strerror, but in plain words for the one code that HDF5's file locking gives: a file
// another process holds open (for a run file, usually another ripple run).
inline std::string errno_text(int code) {
  if (code == EAGAIN)  // the same value as EWOULDBLOCK on Linux
    return "the file is locked: another program, perhaps another ripple run, has it open";
  return std::strerror(code);
}

inline std::string hdf5_reason(int saved_errno) {
  std::vector<std::string> messages;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        if (error->desc != nullptr)
          static_cast<std::vector<std::string>*>(data)->push_back(error->desc);
        return 0;
      },
      &messages);
  H5Eclear2(H5E_DEFAULT);
  for (const std::string& message : messages) {
    const std::size_t at = message.find("errno = ");
    if (at == std::string::npos) continue;
    const int code = std::atoi(message.c_str() + at + 8);
    if (code != 0) return errno_text(code);
  }
  if (saved_errno != 0) return errno_text(saved_errno);
  if (!messages.empty()) return messages.front();
  return "unknown HDF5 error";
}

inline constexpr char kHdf5Signature[] = "\x89HDF\r\n\x1a\n";  // 8 bytes and a NUL
inline constexpr std::uint32_t kNoOther = 0xFFFFFFFFu;

// Rows of /ties/*: the in-memory records plus the snapshot step.
struct SocialRow {
  std::int32_t step;
  std::uint32_t person, other;
  std::uint8_t relation, kind;
  float strength;
};
struct BelongingRow {
  std::int32_t step;
  std::uint32_t person, arena;
  std::uint8_t arena_kind;
  float standing;
};
struct HelpingRow {
  std::int32_t step;
  std::uint32_t person, worker;
  std::uint8_t service;
  float alliance;
  std::int32_t continuity_weeks;
};

// One member of a compound type: its type in memory, its type on disk, and its
// offset in the memory struct. On disk the members are packed in this order.
struct Field {
  const char* name;
  hid_t memory_type;
  hid_t file_type;
  std::size_t offset;
};

// Type construction only fails on a programming error, never on user input.
inline Handle compound_type(std::size_t memory_size, const std::vector<Field>& fields,
                            bool on_disk) {
  std::size_t size = memory_size;
  if (on_disk) {
    size = 0;
    for (const Field& field : fields) size += H5Tget_size(field.file_type);
  }
  Handle type(H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  RIPPLE_CHECK(type.valid(), "could not create a compound HDF5 type");
  std::size_t packed = 0;
  for (const Field& field : fields) {
    const hid_t member = on_disk ? field.file_type : field.memory_type;
    const std::size_t offset = on_disk ? packed : field.offset;
    RIPPLE_CHECK(H5Tinsert(type.get(), field.name, offset, member) >= 0,
                 std::string("could not add compound member ") + field.name);
    packed += H5Tget_size(field.file_type);
  }
  return type;
}

// /events/events; `kind_type` is the enum of event kinds.
inline Handle event_type(hid_t kind_type, bool on_disk) {
  return compound_type(
      sizeof(Event),
      {{"step", H5T_NATIVE_INT32, H5T_STD_I32LE, offsetof(Event, step)},
       {"kind", kind_type, kind_type, offsetof(Event, kind)},
       {"person", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(Event, person)},
       {"other", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(Event, other)},
       {"magnitude", H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, offsetof(Event, magnitude)}},
      on_disk);
}

inline Handle social_type(bool on_disk) {
  return compound_type(
      sizeof(SocialRow),
      {{"step", H5T_NATIVE_INT32, H5T_STD_I32LE, offsetof(SocialRow, step)},
       {"person", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(SocialRow, person)},
       {"other", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(SocialRow, other)},
       {"relation", H5T_NATIVE_UINT8, H5T_STD_U8LE, offsetof(SocialRow, relation)},
       {"kind", H5T_NATIVE_UINT8, H5T_STD_U8LE, offsetof(SocialRow, kind)},
       {"strength", H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, offsetof(SocialRow, strength)}},
      on_disk);
}

inline Handle belonging_type(bool on_disk) {
  return compound_type(
      sizeof(BelongingRow),
      {{"step", H5T_NATIVE_INT32, H5T_STD_I32LE, offsetof(BelongingRow, step)},
       {"person", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(BelongingRow, person)},
       {"arena", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(BelongingRow, arena)},
       {"arena_kind", H5T_NATIVE_UINT8, H5T_STD_U8LE, offsetof(BelongingRow, arena_kind)},
       {"standing", H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, offsetof(BelongingRow, standing)}},
      on_disk);
}

inline Handle helping_type(bool on_disk) {
  return compound_type(
      sizeof(HelpingRow),
      {{"step", H5T_NATIVE_INT32, H5T_STD_I32LE, offsetof(HelpingRow, step)},
       {"person", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(HelpingRow, person)},
       {"worker", H5T_NATIVE_UINT32, H5T_STD_U32LE, offsetof(HelpingRow, worker)},
       {"service", H5T_NATIVE_UINT8, H5T_STD_U8LE, offsetof(HelpingRow, service)},
       {"alliance", H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, offsetof(HelpingRow, alliance)},
       {"continuity_weeks", H5T_NATIVE_INT32, H5T_STD_I32LE,
        offsetof(HelpingRow, continuity_weeks)}},
      on_disk);
}

// Variable-length UTF-8 strings: h5py returns them as str, xarray as attributes.
inline Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  RIPPLE_CHECK(type.valid() && H5Tset_size(type.get(), H5T_VARIABLE) >= 0 &&
                   H5Tset_cset(type.get(), H5T_CSET_UTF8) >= 0,
               "could not create the HDF5 string type");
  return type;
}

}  // namespace ripple::io::detail
