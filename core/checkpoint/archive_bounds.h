#pragma once
// Refuses a checkpoint archive whose declared sizes would make LibTorch's reader allocate more
// than the file can hold, before LibTorch sees it. LibTorch 1.13 trusts every length it reads:
// a zip record's uncompressed size, a pickled string's length (it reserves that many bytes) and
// a memo index (it grows its memo table to that index). A 16 KB file could so ask for 4 GB.
// Torch-free (libzip and a pickle opcode walk), so it is cheap to test and to fuzz in-process.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vae {

// Headroom for the records LibTorch inflates (its TorchScript source files are deflated): the
// records of an archive may declare at most the archive's size plus this much in all.
constexpr std::uint64_t kArchiveInflateMarginBytes = 4u << 20;

// Called with each pickle record (its name and bytes) once it has passed the checks.
using CheckedPickleVisitor = std::function<void(const std::string& record, const std::string& pickle)>;

// Throws DataError("not a readable checkpoint (...)") naming the record and the problem.
void checkArchiveBounds(const char* archive, std::size_t size, const CheckedPickleVisitor& visit = nullptr);

// A tensor storage a pickle declares: its record's key and the bytes LibTorch will read from it.
struct DeclaredStorage {
    std::string key;
    std::uint64_t bytes = 0;
};

// The opcode walk alone, over one pickle (`record` names it in errors); returns the storages it
// declares, which checkArchiveBounds holds against their records' sizes. Refuses a string or
// integer length larger than the bytes that remain, a memo index beyond the entries stored so
// far, an opcode LibTorch does not read, a pickle without STOP, and any opcode that would make
// LibTorch's unpickler index its stack out of bounds (popping below a mark, a container opcode
// without its mark, a dict key without its value).
std::vector<DeclaredStorage> checkPickleBounds(const std::string& pickle, const std::string& record);

}  // namespace vae
