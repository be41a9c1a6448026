// The pickle opcode walk and zip checks that run before LibTorch reads a checkpoint archive.
#include "archive_bounds.h"
#include "errors.h"

#include <QtTest>

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int value : values) out.push_back(char(value));
    return out;
}

const std::string kProto2 = bytes({0x80, 2});

// A pickle's error, or an empty string when the walk accepts it.
QString walkError(const std::string& pickle) {
    try {
        vae::checkPickleBounds(pickle, "archive/data.pkl");
    } catch (const vae::DataError& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestArchiveBounds : public QObject {
    Q_OBJECT
private slots:
    void walk_data();
    void walk();
    void refusesWhatIsNotAZip();
};

void TestArchiveBounds::walk_data() {
    QTest::addColumn<QByteArray>("pickle");
    QTest::addColumn<QString>("expected");  // empty: accepted
    auto row = [](const char* name, const std::string& pickle, const char* expected) {
        QTest::newRow(name) << QByteArray(pickle.data(), int(pickle.size())) << QString(expected);
    };
    // ('ab', 7, None) memoised as 0, fetched back, then a list of both: what torch's pickler writes.
    row("honest tuple", kProto2 + "X" + bytes({2, 0, 0, 0}) + "ab" + "K" + bytes({7}) + "N" + bytes({0x87}) + "q" +
                            bytes({0}) + "h" + bytes({0}) + "]" + "q" + bytes({1}) + "(" + "h" + bytes({0}) + "e" + ".",
        "");
    row("global", kProto2 + "c" + "torch._utils\n_rebuild_tensor_v2\n" + "q" + bytes({0}) + ".", "");
    row("string longer than the rest", kProto2 + "X" + bytes({0x01, 0xff, 0xff, 0xff}) + "abc.",
        "at byte 2: declares 4294967041 bytes with 4 left");
    row("long integer longer than the rest", kProto2 + bytes({0x8a, 200}) + "12345678.", "declares 200 bytes with 9 left");
    row("memo index far ahead", kProto2 + "N" + "r" + bytes({0x00, 0x00, 0x00, 0x40}) + ".",
        "memo index 1073741824 after 0 entries");
    row("memo of nothing", kProto2 + "q" + bytes({0}) + ".", "needs 1 items above the mark, the stack has 0");
    row("opcode LibTorch does not read", kProto2 + bytes({0x95, 1, 0, 0, 0, 0, 0, 0, 0}) + "N.", "opcode 149 is not one");
    row("pops below the mark", kProto2 + "NN(" + bytes({0x86}) + ".", "needs 2 items above the mark, the stack has 0");
    row("tuple without a mark", kProto2 + "Nt.", "without a MARK");
    row("dict key without value", kProto2 + "(Nd.", "a dict item without its value");
    row("appends to nothing", kProto2 + "(Ne.", "nothing below the MARK");
    row("no stop", kProto2 + "N", "ends without STOP");
    row("truncated length", kProto2 + "X" + bytes({1, 0}), "truncated length");
    row("unterminated global", kProto2 + "ctorch", "unterminated text argument");
}

void TestArchiveBounds::walk() {
    QFETCH(QByteArray, pickle);
    QFETCH(QString, expected);
    const QString error = walkError(pickle.toStdString());
    if (expected.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        return;
    }
    QVERIFY2(error.startsWith("not a readable checkpoint (archive/data.pkl"), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains('\n'));
}

void TestArchiveBounds::refusesWhatIsNotAZip() {
    const std::string junk(2048, 'z');
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::checkArchiveBounds(junk.data(), junk.size()));
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::checkArchiveBounds(junk.data(), 0));
}

QTEST_GUILESS_MAIN(TestArchiveBounds)
#include "tst_archivebounds.moc"
