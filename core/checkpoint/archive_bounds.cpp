#include "archive_bounds.h"

#include "errors.h"

#ifndef VAE_WITHOUT_LIBZIP
#include <zip.h>
#endif

#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace vae {
namespace {

[[noreturn]] void refuse(const std::string& problem) {
    throw DataError("not a readable checkpoint (" + problem + ")");
}

// The opcodes LibTorch 1.13's unpickler reads (pickle protocol 2, as its pickler writes them),
// how far each one's argument reaches, and what it does to the unpickler's stack. LibTorch
// refuses any other opcode itself, so the walk refuses it first.
enum class Argument {
    None,     // no argument
    Fixed,    // `width` bytes
    Counted,  // a little-endian length of `width` bytes, then that many bytes
    TwoLines  // GLOBAL: module and name, each up to a newline
};

enum class StackEffect {
    Push,           // pushes one item
    None,           // PROTO, STOP, BINPUT, LONG_BINPUT (they read the top item, see `pops`)
    PopsToOne,      // pops `pops` items and pushes one (TUPLE1..3, BINPERSID, BUILD, REDUCE, SETITEM)
    Pops,           // pops `pops` items (NEWOBJ: LibTorch drops the empty arguments, the class stays)
    Mark,           // MARK
    MarkToOne,      // pops the items above the top mark and the mark, pushes one (TUPLE, LIST, DICT)
    MarkIntoBelow,  // the same, into the item below the mark (APPENDS, SETITEMS)
};

struct Opcode {
    bool known = false;
    Argument argument = Argument::None;
    int width = 0;
    StackEffect effect = StackEffect::None;
    int pops = 0;        // items it needs above the top mark
    bool pairs = false;  // DICT and SETITEMS take keys and values: an even count above the mark
};

const Opcode* opcodeTable() {
    static const auto table = [] {
        static Opcode opcodes[256];
        auto set = [](unsigned char op, Argument argument, int width, StackEffect effect, int pops = 0) {
            opcodes[op] = {true, argument, width, effect, pops, false};
        };
        set(0x80, Argument::Fixed, 1, StackEffect::None);  // PROTO
        set('.', Argument::None, 0, StackEffect::None);    // STOP
        for (unsigned char op : std::initializer_list<unsigned char>{']', ')', '}', 'N', 0x88, 0x89})  // [] () {} None True False
            set(op, Argument::None, 0, StackEffect::Push);
        set('K', Argument::Fixed, 1, StackEffect::Push);     // BININT1
        set('M', Argument::Fixed, 2, StackEffect::Push);     // BININT2
        set('J', Argument::Fixed, 4, StackEffect::Push);     // BININT
        set('G', Argument::Fixed, 8, StackEffect::Push);     // BINFLOAT
        set('h', Argument::Fixed, 1, StackEffect::Push);     // BINGET
        set('j', Argument::Fixed, 4, StackEffect::Push);     // LONG_BINGET
        set(0x8a, Argument::Counted, 1, StackEffect::Push);  // LONG1
        set('X', Argument::Counted, 4, StackEffect::Push);   // BINUNICODE
        set('c', Argument::TwoLines, 0, StackEffect::Push);  // GLOBAL
        set('q', Argument::Fixed, 1, StackEffect::None, 1);  // BINPUT
        set('r', Argument::Fixed, 4, StackEffect::None, 1);  // LONG_BINPUT
        set(0x85, Argument::None, 0, StackEffect::PopsToOne, 1);  // TUPLE1
        set(0x86, Argument::None, 0, StackEffect::PopsToOne, 2);  // TUPLE2
        set(0x87, Argument::None, 0, StackEffect::PopsToOne, 3);  // TUPLE3
        set('Q', Argument::None, 0, StackEffect::PopsToOne, 1);   // BINPERSID
        set(0x81, Argument::None, 0, StackEffect::Pops, 1);       // NEWOBJ
        set('b', Argument::None, 0, StackEffect::PopsToOne, 2);   // BUILD
        set('R', Argument::None, 0, StackEffect::PopsToOne, 2);   // REDUCE
        set('s', Argument::None, 0, StackEffect::PopsToOne, 3);   // SETITEM: dict, key, value -> dict
        set('(', Argument::None, 0, StackEffect::Mark);
        set('t', Argument::None, 0, StackEffect::MarkToOne);      // TUPLE
        set('l', Argument::None, 0, StackEffect::MarkToOne);      // LIST
        set('d', Argument::None, 0, StackEffect::MarkToOne);      // DICT
        set('e', Argument::None, 0, StackEffect::MarkIntoBelow);  // APPENDS
        set('u', Argument::None, 0, StackEffect::MarkIntoBelow);  // SETITEMS
        opcodes['d'].pairs = opcodes['u'].pairs = true;
        return opcodes;
    }();
    return table;
}

std::uint64_t littleEndian(const std::string& bytes, std::size_t at, int width) {
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | std::uint8_t(bytes[at + std::size_t(i)]);
    return value;
}


// What the walk knows of a stack item: enough to read the tuples LibTorch's pickler writes for a
// tensor's storage, ('storage', torch.FloatStorage, key, location, numel) under BINPERSID.
struct Item {
    enum Kind { Other, Text, Integer, Global, Tuple } kind = Other;
    std::string text;  // Text, and Global as "module.name"
    std::int64_t integer = 0;
    std::vector<Item> items;  // Tuple
};

// Bytes per element of the storage types LibTorch writes; 0 for a name it does not.
std::int64_t storageElementBytes(const std::string& global) {
    static const std::pair<const char*, std::int64_t> sizes[] = {
        {"torch.FloatStorage", 4}, {"torch.DoubleStorage", 8}, {"torch.LongStorage", 8}, {"torch.IntStorage", 4},
        {"torch.ShortStorage", 2}, {"torch.CharStorage", 1}, {"torch.ByteStorage", 1}, {"torch.BoolStorage", 1},
        {"torch.HalfStorage", 2}, {"torch.BFloat16Storage", 2}, {"torch.ComplexFloatStorage", 8},
        {"torch.ComplexDoubleStorage", 16}};
    for (const auto& [name, bytes] : sizes)
        if (global == name) return bytes;
    return 0;
}

// The item an opcode pushes, from its argument bytes.
Item pushedItem(unsigned char op, const std::string& pickle, std::size_t argumentAt, std::size_t end) {
    Item item;
    if (op == 'X') {
        item.kind = Item::Text;
        item.text = pickle.substr(argumentAt + 4, end - argumentAt - 4);
    } else if (op == 'K' || op == 'M' || op == 'J') {
        item.kind = Item::Integer;
        const int width = op == 'K' ? 1 : op == 'M' ? 2 : 4;
        item.integer = std::int64_t(littleEndian(pickle, argumentAt, width));
        if (op == 'J') item.integer = std::int32_t(std::uint32_t(item.integer));  // BININT is signed
    } else if (op == 0x8a) {
        const auto length = std::size_t(std::uint8_t(pickle[argumentAt]));
        item.kind = Item::Integer;
        item.integer = length > 0 && length <= 8 ? std::int64_t(littleEndian(pickle, argumentAt + 1, int(length))) : -1;
    } else if (op == 'c') {
        item.kind = Item::Global;
        const std::size_t newline = pickle.find('\n', argumentAt);
        item.text = pickle.substr(argumentAt, newline - argumentAt) + "." + pickle.substr(newline + 1, end - newline - 2);
    }
    return item;
}

// Steps `at` over an opcode's argument bytes, calling `problem` where they run out; returns a
// Fixed argument's value.
template <typename Problem>
std::uint64_t skipArgument(const std::string& pickle, const Opcode& opcode, std::size_t& at, const Problem& problem) {
    const std::size_t left = pickle.size() - at;
    switch (opcode.argument) {
    case Argument::None:
        return 0;
    case Argument::Fixed: {
        if (left < std::size_t(opcode.width)) problem("truncated opcode argument");
        const std::uint64_t value = littleEndian(pickle, at, opcode.width);
        at += std::size_t(opcode.width);
        return value;
    }
    case Argument::Counted: {
        if (left < std::size_t(opcode.width)) problem("truncated length");
        const std::uint64_t length = littleEndian(pickle, at, opcode.width);
        at += std::size_t(opcode.width);
        if (length > pickle.size() - at)
            problem("declares " + std::to_string(length) + " bytes with " + std::to_string(pickle.size() - at) + " left");
        at += std::size_t(length);
        return 0;
    }
    case Argument::TwoLines:
        for (int line = 0; line < 2; ++line) {
            const std::size_t end = pickle.find('\n', at);
            if (end == std::string::npos) problem("unterminated text argument");
            at = end + 1;
        }
        return 0;
    }
    return 0;
}

// A BINPERSID's argument when it is a storage's tuple, with the bytes its record must hold.
std::optional<DeclaredStorage> declaredStorage(const Item& id) {
    if (id.kind != Item::Tuple || id.items.size() != 5 || id.items[0].text != "storage" ||
        id.items[1].kind != Item::Global || id.items[2].kind != Item::Text || id.items[4].kind != Item::Integer)
        return std::nullopt;
    const std::int64_t elementBytes = storageElementBytes(id.items[1].text);
    const std::int64_t numel = id.items[4].integer;
    if (elementBytes == 0) refuse("a storage of type " + id.items[1].text + ", which LibTorch does not read");
    if (numel < 0 || numel > (std::int64_t(1) << 48)) refuse("storage " + id.items[2].text + " declares " + std::to_string(numel) + " elements");
    return DeclaredStorage{id.items[2].text, std::uint64_t(numel * elementBytes)};
}

}  // namespace

std::vector<DeclaredStorage> checkPickleBounds(const std::string& pickle, const std::string& record) {
    const Opcode* opcodes = opcodeTable();
    std::size_t at = 0;
    std::uint64_t memoEntries = 0;
    // The unpickler's stack and its marks (stack heights), as LibTorch keeps them. It indexes
    // both without checks, so a pickle that pops below a mark, finds no mark, or gives a dict an
    // odd number of items would make it read and free memory that is not its own. The items are
    // modelled only as far as the storages' tuples need.
    std::vector<Item> stack;
    std::vector<Item> memo;
    std::vector<std::size_t> marks;
    std::vector<DeclaredStorage> storages;
    auto problem = [&](std::size_t where, const std::string& what) {
        refuse(record + " at byte " + std::to_string(where) + ": " + what);
    };
    while (at < pickle.size()) {
        const std::size_t opcodeAt = at;
        const auto op = static_cast<unsigned char>(pickle[at++]);
        const Opcode& opcode = opcodes[op];
        if (!opcode.known) problem(opcodeAt, "pickle opcode " + std::to_string(op) + " is not one LibTorch reads");
        const std::size_t argumentAt = at;
        const std::uint64_t argument = skipArgument(pickle, opcode, at, [&](const std::string& what) { problem(opcodeAt, what); });
        const std::size_t floor = marks.empty() ? 0 : marks.back();
        if (stack.size() - floor < std::size_t(opcode.pops))
            problem(opcodeAt, "opcode " + std::to_string(op) + " needs " + std::to_string(opcode.pops) +
                                  " items above the mark, the stack has " + std::to_string(stack.size() - floor));
        switch (opcode.effect) {
        case StackEffect::Push:
            if (op == 'h' || op == 'j') stack.push_back(argument < memo.size() ? memo[std::size_t(argument)] : Item{});
            else stack.push_back(pushedItem(op, pickle, argumentAt, at));
            break;
        case StackEffect::None:
            break;
        case StackEffect::PopsToOne: {
            Item made;
            if (op == 0x85 || op == 0x86 || op == 0x87) made.kind = Item::Tuple;
            made.items.assign(std::make_move_iterator(stack.end() - opcode.pops), std::make_move_iterator(stack.end()));
            stack.resize(stack.size() - std::size_t(opcode.pops));
            if (op == 'Q') {
                if (auto storage = declaredStorage(made.items.front())) storages.push_back(*storage);
                made.items.clear();
            }
            if (made.kind != Item::Tuple) made.items.clear();
            stack.push_back(std::move(made));
            break;
        }
        case StackEffect::Pops:
            stack.resize(stack.size() - std::size_t(opcode.pops));
            break;
        case StackEffect::Mark:
            marks.push_back(stack.size());
            break;
        case StackEffect::MarkToOne:
        case StackEffect::MarkIntoBelow: {
            if (marks.empty()) problem(opcodeAt, "opcode " + std::to_string(op) + " without a MARK");
            if (opcode.pairs && (stack.size() - floor) % 2 != 0) problem(opcodeAt, "a dict item without its value");
            if (opcode.effect == StackEffect::MarkIntoBelow && floor == 0)
                problem(opcodeAt, "nothing below the MARK to add the items to");
            marks.pop_back();
            Item made;
            if (op == 't') {
                made.kind = Item::Tuple;
                made.items.assign(std::make_move_iterator(stack.begin() + std::ptrdiff_t(floor)), std::make_move_iterator(stack.end()));
            }
            stack.resize(floor);
            if (opcode.effect == StackEffect::MarkToOne) stack.push_back(std::move(made));
            break;
        }
        }
        if (op == 'q' || op == 'r') {
            // Picklers number memo entries 0, 1, 2, ... as they store them, and LibTorch grows its
            // memo table to whatever index it reads: an index past the next free one is refused.
            if (argument > memoEntries)
                problem(opcodeAt, "memo index " + std::to_string(argument) + " after " +
                                      std::to_string(memoEntries) + " entries");
            if (argument == memoEntries) ++memoEntries;
            if (argument >= memo.size()) memo.resize(std::size_t(argument) + 1);
            memo[std::size_t(argument)] = stack.back();
        }
        if (op == '.') return storages;  // STOP: the unpickler reads no further
    }
    refuse(record + ": pickle ends without STOP");
}

void checkArchiveBounds(const char* archive, std::size_t size, const CheckedPickleVisitor& visit) {
#ifdef VAE_WITHOUT_LIBZIP
    // Built without libzip (see core/CMakeLists.txt): only the forked probe guards the load.
    (void)archive, (void)size, (void)visit;
#else
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
    std::map<std::string, std::uint64_t> recordSizes;
    std::vector<std::pair<std::string, DeclaredStorage>> storages;  // the record each should be in
    for (zip_int64_t index = 0; index < count; ++index) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(zip.get(), zip_uint64_t(index), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE) ||
            !(stat.valid & ZIP_STAT_NAME))
            refuse("unreadable zip record " + std::to_string(index));
        const std::string name = stat.name;
        declared += stat.size;
        recordSizes[name] = stat.size;
        if (stat.size > allowed || declared > allowed)
            refuse(name + " declares " + std::to_string(stat.size) + " bytes; the archive has " + std::to_string(size));
        // data.pkl, constants.pkl and the TorchScript sources' .debug_pkl files.
        if (name.size() < 3 || name.compare(name.size() - 3, 3, "pkl") != 0) continue;
        std::string pickle(std::size_t(stat.size), '\0');
        std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(zip.get(), zip_uint64_t(index), 0),
                                                               &zip_fclose);
        if (!file || zip_fread(file.get(), pickle.data(), stat.size) != zip_int64_t(stat.size))
            refuse(name + ": cannot read the record");
        // "archive/data.pkl" keeps its tensors' bytes in "archive/data/KEY".
        const std::string tensorFolder = name.substr(0, name.size() - 4) + "/";
        for (DeclaredStorage& storage : checkPickleBounds(pickle, name))
            storages.emplace_back(tensorFolder + storage.key, storage);
        if (visit) visit(name, pickle);
    }
    // LibTorch makes each storage as large as its pickle says and copies the record into it: a
    // shorter record (a cut or edited file with a valid CRC) would be read past its end.
    for (const auto& [recordName, storage] : storages) {
        const auto found = recordSizes.find(recordName);
        if (found == recordSizes.end()) refuse(recordName + " is missing");
        if (found->second < storage.bytes)
            refuse(recordName + " holds " + std::to_string(found->second) + " bytes; its tensor needs " +
                   std::to_string(storage.bytes));
    }
#endif
}

}  // namespace vae
