// The rendezvous guard (store_probe.h): a master port that something other than a c10d store
// answers must end a rank in one line within --dist-timeout, never abort or hang it. Before the
// guard, joining a garbage-sending port aborted this very process (std::length_error thrown on
// LibTorch's listener thread) and a silent one held it forever.
#include "distributed.h"
#include "fixtures.h"
#include "store_probe.h"

#include <QtTest>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

namespace {

enum class Behaviour { SendGarbage, StaySilent, NeverAccept, CloseAtOnce };

// A loopback listener that behaves as `behaviour` until destroyed.
class FakeMaster {
public:
    explicit FakeMaster(Behaviour behaviour) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), size);
        ::listen(listener_, 0);
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
        port_ = ntohs(address.sin_port);
        if (behaviour != Behaviour::NeverAccept) thread_ = std::thread([this, behaviour] { serve(behaviour); });
    }
    ~FakeMaster() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        for (int fd : accepted_) ::close(fd);
        ::close(listener_);
    }
    int port() const { return port_; }

private:
    void serve(Behaviour behaviour) {
        while (!stop_) {
            pollfd readable{listener_, POLLIN, 0};
            if (::poll(&readable, 1, 50) <= 0) continue;
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            if (behaviour == Behaviour::CloseAtOnce) {
                ::close(fd);
                continue;
            }
            if (behaviour == Behaviour::SendGarbage) {
                const std::vector<char> garbage(4096, char(0xff));
                (void)!::send(fd, garbage.data(), garbage.size(), MSG_NOSIGNAL);
            }
            accepted_.push_back(fd);  // held open, silent from here on
        }
    }

    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::vector<int> accepted_;
    std::thread thread_;
};

vae::ProcessGroupSpec rankOneOf2(int port, double timeoutSeconds) {
    vae::ProcessGroupSpec spec;
    spec.rank = 1;
    spec.worldSize = 2;
    spec.masterAddress = "127.0.0.1";
    spec.masterPort = port;
    spec.launcher = "torchrun";
    spec.timeoutSeconds = timeoutSeconds;
    return spec;
}

// Joins as rank 1 and returns the one-line error, checking it came within the timeout + 5 s.
QString joinError(const vae::ProcessGroupSpec& spec) {
    QElapsedTimer clock;
    clock.start();
    QString message;
    try {
        vae::ProcessGroup group(spec, "x");
    } catch (const vae::DistributedError& error) {
        message = error.what();
    }
    const qint64 limitMs = qint64((spec.timeoutSeconds + 5) * 1000) * fixtures::kTimeLimitFactor;
    if (clock.elapsed() > limitMs) return QString("took %1 ms: %2").arg(clock.elapsed()).arg(message);
    return message;
}

// One reply of a peer, as askForKeyCount judges it; the peer has closed its side when `close`.
vae::StoreExchange exchangeWith(const QByteArray& reply, bool close) {
    int pair[2];
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
    (void)!::write(pair[1], reply.constData(), size_t(reply.size()));
    if (close) ::shutdown(pair[1], SHUT_WR);
    const auto exchange = vae::askForKeyCount(pair[0], std::chrono::steady_clock::now() + std::chrono::milliseconds(300));
    ::close(pair[0]);
    ::close(pair[1]);
    return exchange;
}

QByteArray keyCount(std::int64_t keys) { return QByteArray(reinterpret_cast<const char*>(&keys), sizeof keys); }

}  // namespace

class TestStoreProbe : public QObject {
    Q_OBJECT
private slots:
    void repliesAreJudged();
    void garbageIsRefusedAtOnce();
    void aSilentListenerEndsAtTheTimeout();
    void aListenerThatNeverAcceptsEndsAtTheTimeout();
    void aListenerThatHangsUpIsRetriedThenReported();
    void anUnresolvableHostNamesTheVariable();
};

void TestStoreProbe::repliesAreJudged() {
    QCOMPARE(exchangeWith(keyCount(3), false).answer, vae::StoreAnswer::Store);
    QCOMPARE(exchangeWith(keyCount(3) + "x", false).answer, vae::StoreAnswer::NotStore);  // more than a store sends
    QCOMPARE(exchangeWith(keyCount(-1), false).answer, vae::StoreAnswer::NotStore);
    QCOMPARE(exchangeWith(keyCount(3), true).answer, vae::StoreAnswer::NotStore);  // a store keeps the connection
    QCOMPARE(exchangeWith("HTTP", true).answer, vae::StoreAnswer::NotStore);
    QCOMPARE(exchangeWith("HTTP", false).answer, vae::StoreAnswer::NotStore);
    QCOMPARE(exchangeWith("", true).answer, vae::StoreAnswer::Closed);
    QCOMPARE(exchangeWith("", false).answer, vae::StoreAnswer::Silent);
}

void TestStoreProbe::garbageIsRefusedAtOnce() {
    FakeMaster master(Behaviour::SendGarbage);
    const QString error = joinError(rankOneOf2(master.port(), 30));
    QCOMPARE(error, QString("rendezvous at 127.0.0.1:%1: what answers there is not a c10d store (it sent more than a "
                            "store's eight-byte answer) (is MASTER_PORT another program's port?)")
                        .arg(master.port()));
}

void TestStoreProbe::aSilentListenerEndsAtTheTimeout() {
    FakeMaster master(Behaviour::StaySilent);
    const QString error = joinError(rankOneOf2(master.port(), 2));
    QCOMPARE(error, QString("rendezvous at 127.0.0.1:%1: something accepted the connection but did not answer as a "
                            "c10d store within 2 s (is MASTER_PORT another program's port?)")
                        .arg(master.port()));
}

void TestStoreProbe::aListenerThatNeverAcceptsEndsAtTheTimeout() {
    FakeMaster master(Behaviour::NeverAccept);
    // The kernel completes a handshake or two into the backlog, then drops the rest: either way,
    // one line naming the port, within the timeout.
    const QString error = joinError(rankOneOf2(master.port(), 2));
    QVERIFY2(error.startsWith(QString("rendezvous at 127.0.0.1:%1: ").arg(master.port())) && error.contains("2 s"),
             qPrintable(error));
}

void TestStoreProbe::aListenerThatHangsUpIsRetriedThenReported() {
    FakeMaster master(Behaviour::CloseAtOnce);
    const QString error = joinError(rankOneOf2(master.port(), 1));
    QVERIFY2(error.startsWith(QString("rendezvous at 127.0.0.1:%1: nothing answered there within 1 s (rank 0 hosts it; "
                                      "last try: ")
                                  .arg(master.port())),
             qPrintable(error));
}

void TestStoreProbe::anUnresolvableHostNamesTheVariable() {
    auto spec = rankOneOf2(29500, 2);
    spec.masterAddress = "not-a-host.invalid";
    const QString error = joinError(spec);
    QVERIFY2(error.startsWith("MASTER_ADDR: cannot resolve 'not-a-host.invalid' ("), qPrintable(error));
    spec.launcher = "--world-size";
    QVERIFY2(joinError(spec).startsWith("--master: cannot resolve 'not-a-host.invalid' ("), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestStoreProbe)
#include "tst_storeprobe.moc"
