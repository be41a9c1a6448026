#include "archive_bounds.h"

#include "errors.h"

#include <zip.h>

#include <cstdlib>
#include <memory>

namespace vae {
namespace {

[[noreturn]] void refuse(const std::string& problem) {
    throw DataError("not a readable checkpoint (" + problem + ")");
}

// How an opcode's argument is laid out (Python's pickletools documents each opcode).
enum class Argument {
    None,         // no argument
    Fixed,        // `width` bytes
    Counted,      // a little-endian length of `width` bytes, then that many bytes
    Line,         // text up to a newline
    TwoLines,     // GLOBAL and INST: module and name, each up to a newline
};

struct OpcodeShape {
    Argument argument = Argument::None;
    int width = 0;
    bool known = false;
};

// Every opcode of pickle protocols 0 to 5. LibTorch reads a subset and refuses the rest itself;
// the walk only has to know how far each one reaches.
const OpcodeShape* shapeTable() {
    static const auto table = [] {
        static OpcodeShape shapes[256];
        auto set = [](const std::string& ops, Argument argument, int width) {
            for (char op : ops) shapes[static_cast<unsigned char>(op)] = {argument, width, true};
        };
        set("(.012NRabdelostu]})Q", Argument::None, 0);
        set("\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98", Argument::None, 0);
        set("Khq\x80\x82", Argument::Fixed, 1);  // BININT1, BINGET, BINPUT, PROTO, EXT1
        set("M\x83", Argument::Fixed, 2);         // BININT2, EXT2
        set("Jjr\x84", Argument::Fixed, 4);       // BININT, LONG_BINGET, LONG_BINPUT, EXT4
        set("G\x95", Argument::Fixed, 8);         // BINFLOAT; FRAME's length is checked below
        set("UC\x8c\x8a", Argument::Counted, 1);  // SHORT_BINSTRING, SHORT_BINBYTES, SHORT_BINUNICODE, LONG1
        set("TBX\x8b", Argument::Counted, 4);     // BINSTRING, BINBYTES, BINUNICODE, LONG4
        set("\x8d\x8e\x96", Argument::Counted, 8);  // BINUNICODE8, BINBYTES8, BYTEARRAY8
        set("ILFSVPgp", Argument::Line, 0);
        set("ci", Argument::TwoLines, 0);  // GLOBAL, INST
        return shapes;
    }();
    return table;
}

std::uint64_t littleEndian(const std::string& bytes, std::size_t at, int width) {
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | std::uint8_t(bytes[at + std::size_t(i)]);
    return value;
}

bool storesMemo(unsigned char op) { return op == 'q' || op == 'r' || op == 'p'; }

}  // namespace

void checkPickleBounds(const std::string& pickle, const std::string& record) {
    const OpcodeShape* shapes = shapeTable();
    std::size_t at = 0;
    std::uint64_t memoEntries = 0;
    auto problem = [&](std::size_t where, const std::string& what) {
        refuse(record + " at byte " + std::to_string(where) + ": " + what);
    };
    while (at < pickle.size()) {
        const std::size_t opcodeAt = at;
        const auto op = static_cast<unsigned char>(pickle[at++]);
        const OpcodeShape& shape = shapes[op];
        if (!shape.known) problem(opcodeAt, "unknown pickle opcode " + std::to_string(op));
        const std::size_t left = pickle.size() - at;
        std::uint64_t memoIndex = 0;
        switch (shape.argument) {
        case Argument::None:
            if (op == '.') return;  // STOP: the unpickler reads no further
            if (op == 0x94) ++memoEntries;  // MEMOIZE
            break;
        case Argument::Fixed:
            if (left < std::size_t(shape.width)) problem(opcodeAt, "truncated opcode argument");
            if (op == 0x95 && littleEndian(pickle, at, 8) > left - 8)
                problem(opcodeAt, "frame of " + std::to_string(littleEndian(pickle, at, 8)) + " bytes with " +
                                      std::to_string(left - 8) + " left");
            if (storesMemo(op)) memoIndex = littleEndian(pickle, at, shape.width);
            at += std::size_t(shape.width);
            break;
        case Argument::Counted: {
            if (left < std::size_t(shape.width)) problem(opcodeAt, "truncated length");
            const std::uint64_t length = littleEndian(pickle, at, shape.width);
            at += std::size_t(shape.width);
            if (length > pickle.size() - at)
                problem(opcodeAt, "declares " + std::to_string(length) + " bytes with " +
                                      std::to_string(pickle.size() - at) + " left");
            at += std::size_t(length);
            break;
        }
        case Argument::Line:
        case Argument::TwoLines:
            for (int line = shape.argument == Argument::Line ? 1 : 2; line > 0; --line) {
                const std::size_t end = pickle.find('\n', at);
                if (end == std::string::npos) problem(opcodeAt, "unterminated text argument");
                if (op == 'p' && line == 1) memoIndex = std::strtoull(pickle.substr(at, end - at).c_str(), nullptr, 10);
                at = end + 1;
            }
            break;
        }
        if (storesMemo(op)) {
            // Picklers number memo entries 0, 1, 2, ... as they store them, and LibTorch grows its
            // memo table to whatever index it reads: an index past the next free one is refused.
            if (memoIndex > memoEntries)
                problem(opcodeAt, "memo index " + std::to_string(memoIndex) + " after " +
                                      std::to_string(memoEntries) + " entries");
            if (memoIndex == memoEntries) ++memoEntries;
        }
    }
    refuse(record + ": pickle ends without STOP");
}

void checkArchiveBounds(const char* archive, std::size_t size, const CheckedPickleVisitor& visit) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(archive, size, 0, &error);
    if (!source) refuse("cannot read the archive");
    // ZIP_CHECKCONS also compares each local header with the central directory, so a record
    // cannot claim one size here and another to LibTorch's zip reader.
    std::unique_ptr<zip_t, void (*)(zip_t*)> zip(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error),
                                                  &zip_discard);
    if (!zip) {
        zip_source_free(source);
        const std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        refuse("not a valid zip archive: " + reason);
    }
    zip_error_fini(&error);
    const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
    if (count <= 0) refuse("the archive holds no records");
    std::uint64_t declared = 0;
    const std::uint64_t allowed = size + kArchiveInflateMarginBytes;
    for (zip_int64_t index = 0; index < count; ++index) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(zip.get(), zip_uint64_t(index), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE) ||
            !(stat.valid & ZIP_STAT_NAME))
            refuse("unreadable zip record " + std::to_string(index));
        const std::string name = stat.name;
        declared += stat.size;
        if (stat.size > allowed || declared > allowed)
            refuse(name + " declares " + std::to_string(stat.size) + " bytes; the archive has " + std::to_string(size));
        // data.pkl, constants.pkl and the TorchScript sources' .debug_pkl files.
        if (name.size() < 3 || name.compare(name.size() - 3, 3, "pkl") != 0) continue;
        std::string pickle(std::size_t(stat.size), '\0');
        std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(zip.get(), zip_uint64_t(index), 0),
                                                               &zip_fclose);
        if (!file || zip_fread(file.get(), pickle.data(), stat.size) != zip_int64_t(stat.size))
            refuse(name + ": cannot read the record");
        checkPickleBounds(pickle, name);
        if (visit) visit(name, pickle);
    }
}

}  // namespace vae
