// `vae-explorer train` as ranks of a data-parallel job, as real processes on loopback: launched
// by mpirun and by torchrun's variables set by hand, killed, interrupted, resumed alone.
#include "fixtures.h"
#include "session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

namespace {

// A started process, ended by its PID when the test leaves it running.
struct Started {
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    ~Started() {
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(10000);
        }
    }
    bool finishWithin(int ms) { return process->waitForFinished(ms); }
    QString err() { return QString::fromLocal8Bit(process->readAllStandardError()); }
    int exitCode() const { return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1; }
};

// The loss columns of metrics.csv (epoch, train and test terms), without the timings.
QStringList lossRows(const QString& folder) {
    QFile file(QDir(folder).filePath("metrics.csv"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    QStringList rows;
    for (const QString& line : QString(file.readAll()).trimmed().split('\n').mid(1))
        rows << line.section(',', 0, 6);
    return rows;
}

// The PIDs of a process's children (the ranks mpirun started), from /proc.
QList<qint64> childrenOf(qint64 pid) {
    QFile file(QString("/proc/%1/task/%1/children").arg(pid));
    QList<qint64> pids;
    if (file.open(QIODevice::ReadOnly))
        for (const QString& word : QString(file.readAll()).split(' ', Qt::SkipEmptyParts)) pids << word.toLongLong();
    return pids;
}

bool alive(qint64 pid) {
    QFile status(QString("/proc/%1/stat").arg(pid));
    return status.open(QIODevice::ReadOnly) && !QString(status.readAll()).section(' ', 2, 2).startsWith('Z');
}

}  // namespace

class TestDistributedCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void mpirunAndTorchrunVariablesTrainAsOneProcess();
    void resumesAloneAndTogether();
    void torchrunsAgentStoreIsJoined();
    void aKilledRankStopsTheOthers_data();
    void aKilledRankStopsTheOthers();
    void sigintOnMpirunStopsEveryRank();
    void mismatchedSettingsAreRefused();
    void setupErrorsTakeOneLine_data();
    void setupErrorsTakeOneLine();

private:
    QStringList trainArguments(const QString& out, int epochs) const;
    // Rank `rank` of `world` with torchrun's variables (what torchrun >= 2 sets on clusters).
    std::unique_ptr<Started> startRank(int rank, int world, int port, const QStringList& arguments,
                                       const QStringList& moreVariables = {}) const;
    std::unique_ptr<Started> startMpirun(int port, const QStringList& arguments) const;
    QTemporaryDir dir_;
    QString data_;
    QString mpirun_;
};

void TestDistributedCli::initTestCase() {
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 256, 64, 8, false);
    mpirun_ = QStandardPaths::findExecutable("mpirun");
    QVERIFY2(!mpirun_.isEmpty(), "mpirun not found: install openmpi-bin (scripts/setup.sh does)");
}

// Batch 15 over 256 images: the last batch of each epoch holds 1 image, so rank 1 has none.
QStringList TestDistributedCli::trainArguments(const QString& out, int epochs) const {
    return {"train", "--dataset", data_, "--out", out, "--epochs", QString::number(epochs), "--hidden", "32",
            "--batch-size", "15", "--seed", "4", "--dist-timeout", "20", "--quiet"};  // stderr: errors only
}

std::unique_ptr<Started> TestDistributedCli::startRank(int rank, int world, int port, const QStringList& arguments,
                                                      const QStringList& moreVariables) const {
    auto started = std::make_unique<Started>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("RANK", QString::number(rank));
    environment.insert("LOCAL_RANK", QString::number(rank));
    environment.insert("WORLD_SIZE", QString::number(world));
    environment.insert("LOCAL_WORLD_SIZE", QString::number(world));
    environment.insert("MASTER_ADDR", "127.0.0.1");
    environment.insert("MASTER_PORT", QString::number(port));
    for (const QString& variable : moreVariables) environment.insert(variable.section('=', 0, 0), variable.section('=', 1));
    started->process->setProcessEnvironment(environment);
    started->process->start(VAE_EXPLORER_EXE, arguments);
    return started;
}

std::unique_ptr<Started> TestDistributedCli::startMpirun(int port, const QStringList& arguments) const {
    auto started = std::make_unique<Started>();
    started->process->start(mpirun_, QStringList{"--allow-run-as-root", "--oversubscribe", "-np", "2", "-x",
                                                 "MASTER_ADDR=127.0.0.1", "-x", QString("MASTER_PORT=%1").arg(port),
                                                 VAE_EXPLORER_EXE} +
                                         arguments);
    return started;
}

void TestDistributedCli::mpirunAndTorchrunVariablesTrainAsOneProcess() {
    const QString alone = dir_.filePath("alone"), mpi = dir_.filePath("mpi"), byHand = dir_.filePath("by-hand");
    QProcess single;
    single.start(VAE_EXPLORER_EXE, trainArguments(alone, 6) + QStringList{"--threads", "1"});
    QVERIFY(single.waitForFinished(120000));
    QCOMPARE(single.exitCode(), 0);

    auto launched = startMpirun(fixtures::freeLoopbackPort(), trainArguments(mpi, 6));
    QVERIFY(launched->finishWithin(120000));
    const QString out = QString::fromLocal8Bit(launched->process->readAllStandardOutput());
    QVERIFY2(launched->exitCode() == 0, qPrintable(launched->err()));
    QVERIFY2(out.contains("rank 0 of 2 (mpirun)"), qPrintable(out));
    QVERIFY2(out.contains("1 thread per rank x 2 ranks"), qPrintable(out));  // 2 cores / 2 local ranks
    QCOMPARE(out.count("epoch 6/6"), 1);                                       // only rank 0 prints

    // Rank 1 gets another --out: it must not write there (rank 0 alone writes).
    const int port = fixtures::freeLoopbackPort();
    auto rank0 = startRank(0, 2, port, trainArguments(byHand, 6));
    auto rank1 = startRank(1, 2, port, trainArguments(dir_.filePath("rank1-out"), 6));
    QVERIFY(rank0->finishWithin(120000) && rank1->finishWithin(120000));
    QVERIFY2(rank0->exitCode() == 0, qPrintable(rank0->err()));
    QVERIFY2(rank1->exitCode() == 0, qPrintable(rank1->err()));
    QVERIFY(!QFileInfo::exists(dir_.filePath("rank1-out")));

    // Both launchers run the same computation: the same numbers to the last digit printed.
    const auto reference = lossRows(alone), fromMpirun = lossRows(mpi), fromVariables = lossRows(byHand);
    QCOMPARE(reference.size(), 6);
    QCOMPARE(fromMpirun, fromVariables);
    // One process: the same up to float summation order (the gradient is averaged in another order).
    for (int row = 0; row < reference.size(); ++row)
        for (int column = 1; column < 7; ++column) {
            const double mine = fromMpirun[row].section(',', column, column).toDouble();
            const double theirs = reference[row].section(',', column, column).toDouble();
            QVERIFY2(qAbs(mine - theirs) <= 1e-3 * qAbs(theirs) + 1e-3,
                     qPrintable(QString("epoch %1 column %2: %3 vs %4").arg(row + 1).arg(column).arg(mine).arg(theirs)));
        }
}

void TestDistributedCli::resumesAloneAndTogether() {
    const QString first = dir_.filePath("together"), alone = dir_.filePath("resumed-alone"),
                  together = dir_.filePath("resumed-together");
    const int port = fixtures::freeLoopbackPort();
    auto rank0 = startRank(0, 2, port, trainArguments(first, 2));
    auto rank1 = startRank(1, 2, port, trainArguments(first, 2));
    QVERIFY(rank0->finishWithin(120000) && rank1->finishWithin(120000));
    QVERIFY2(rank0->exitCode() == 0, qPrintable(rank0->err()));
    const QString checkpoint = QDir(first).filePath("checkpoint.pt");

    QProcess single;
    single.start(VAE_EXPLORER_EXE, {"train", "--dataset", data_, "--out", alone, "--epochs", "1", "--resume", checkpoint});
    QVERIFY(single.waitForFinished(120000));
    QVERIFY2(single.exitCode() == 0, single.readAllStandardError().constData());
    QCOMPARE(lossRows(alone).size(), 3);  // the distributed run's 2 epochs, then this one
    QCOMPARE(lossRows(alone).mid(0, 2), lossRows(first));

    // And a resumed distributed run, from the one-process checkpoint.
    const int again = fixtures::freeLoopbackPort();
    const QStringList resume{"train", "--dataset", data_, "--out", together, "--epochs", "1",
                             "--resume", QDir(alone).filePath("checkpoint.pt")};
    rank0 = startRank(0, 2, again, resume);
    rank1 = startRank(1, 2, again, resume);
    QVERIFY(rank0->finishWithin(120000) && rank1->finishWithin(120000));
    QVERIFY2(rank0->exitCode() == 0, qPrintable(rank0->err()));
    QCOMPARE(lossRows(together).size(), 4);
    QCOMPARE(vae::Session::fromCheckpoint(QDir(together).filePath("checkpoint.pt").toStdString(), "cpu").epochsTrained(), 4);
}

// Under torchrun >= 2 the elastic agent already hosts the store on MASTER_PORT: the ranks must
// connect to it as clients, under torch's own key prefix. PyTorch's own TCPStore (Debian's
// python3-torch) plays the agent here and checks that the ranks' keys land where torch puts them.
void TestDistributedCli::torchrunsAgentStoreIsJoined() {
    const int port = fixtures::freeLoopbackPort();
    Started agent;
    agent.process->start("/usr/bin/python3", {"-c", QString(R"(
import datetime, sys, torch.distributed as dist
store = dist.TCPStore("127.0.0.1", %1, None, True, timeout=datetime.timedelta(seconds=60), wait_for_workers=False)
print("listening", flush=True)
store.wait(["/worker/attempt_3/arrived/0", "/worker/attempt_3/arrived/1"])
print("both ranks arrived under /worker/attempt_3", flush=True)
sys.stdin.read()  # the ranks use the store until they have connected to each other
)").arg(port)});
    QVERIFY2(agent.process->waitForReadyRead(60000) && agent.process->readAllStandardOutput().contains("listening"),
             qPrintable("Debian's python3-torch did not start a TCPStore: " + agent.err()));
    const QStringList agentVariables{"TORCHELASTIC_USE_AGENT_STORE=True", "TORCHELASTIC_RESTART_COUNT=3"};
    const QString out = dir_.filePath("agent");
    auto rank0 = startRank(0, 2, port, trainArguments(out, 1), agentVariables);
    auto rank1 = startRank(1, 2, port, trainArguments(out, 1), agentVariables);
    QVERIFY(rank0->finishWithin(120000) && rank1->finishWithin(120000));
    QVERIFY2(rank0->exitCode() == 0, qPrintable(rank0->err()));
    QVERIFY2(rank1->exitCode() == 0, qPrintable(rank1->err()));
    QCOMPARE(lossRows(out).size(), 1);
    agent.process->closeWriteChannel();
    QVERIFY(agent.finishWithin(10000));
    const QString said = agent.process->readAllStandardOutput() + agent.err();
    QVERIFY2(said.contains("both ranks arrived"), qPrintable(said));
}

void TestDistributedCli::aKilledRankStopsTheOthers_data() {
    QTest::addColumn<int>("killed");
    QTest::addColumn<int>("signal");
    QTest::newRow("rank 1 dies") << 1 << SIGKILL;
    QTest::newRow("rank 0 (the store's host) dies") << 0 << SIGKILL;
    QTest::newRow("rank 1 hangs") << 1 << SIGSTOP;
}

// The survivor must notice within the stated timeout (4 s here) and name the rank: at once when
// the rank's sockets close, after the timeout when it hangs.
void TestDistributedCli::aKilledRankStopsTheOthers() {
    QFETCH(int, killed);
    QFETCH(int, signal);
    const QString out = dir_.filePath(QString("killed-%1-%2").arg(killed).arg(signal));
    const int port = fixtures::freeLoopbackPort();
    const QStringList arguments = trainArguments(out, 1000) + QStringList{"--dist-timeout", "4"};
    std::unique_ptr<Started> ranks[2] = {startRank(0, 2, port, arguments), startRank(1, 2, port, arguments)};
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(QDir(out).filePath("checkpoint.pt")), 60000);  // mid-training
    ::kill(ranks[killed]->process->processId(), signal);
    QElapsedTimer clock;
    clock.start();
    Started& survivor = *ranks[1 - killed];
    QVERIFY(survivor.finishWithin(30000));
    QVERIFY2(clock.elapsed() < (signal == SIGSTOP ? 4000 + 3000 : 0) + 5000 * fixtures::kTimeLimitFactor, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(survivor.exitCode(), 1);
    const QString err = survivor.err().trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));  // one line
    QVERIFY2(err.startsWith(QString("vae-explorer train (rank %1 of 2): rank %2 died or stopped answering during")
                                .arg(1 - killed).arg(killed)),
             qPrintable(err));
    if (signal == SIGSTOP) ::kill(ranks[killed]->process->processId(), SIGKILL);
    QVERIFY(ranks[killed]->finishWithin(10000));
}

void TestDistributedCli::sigintOnMpirunStopsEveryRank() {
    const QString out = dir_.filePath("interrupted");
    auto launched = startMpirun(fixtures::freeLoopbackPort(), trainArguments(out, 1000));
    QTRY_VERIFY_WITH_TIMEOUT(lossRows(out).size() >= 2, 60000);
    const auto ranks = childrenOf(launched->process->processId());
    QCOMPARE(ranks.size(), 2);
    ::kill(launched->process->processId(), SIGINT);
    QVERIFY(launched->finishWithin(30000));
    // mpirun returns while rank 0 still writes its images; the ranks follow within moments.
    for (qint64 pid : ranks) QTRY_VERIFY2_WITH_TIMEOUT(!alive(pid), qPrintable(QString("rank process %1 still runs").arg(pid)), 15000);
    const QString err = launched->err();
    QVERIFY2(err.contains(QRegularExpression("interrupted; .*checkpoint.pt holds epoch \\d+")), qPrintable(err));
    // The last checkpoint is whole and agrees with the metrics written beside it.
    const auto session = vae::Session::fromCheckpoint(QDir(out).filePath("checkpoint.pt").toStdString(), "cpu");
    QVERIFY(session.epochsTrained() >= 2);
    QCOMPARE(lossRows(out).size(), session.epochsTrained());
}

void TestDistributedCli::mismatchedSettingsAreRefused() {
    const int port = fixtures::freeLoopbackPort();
    auto rank0 = startRank(0, 2, port, trainArguments(dir_.filePath("mismatch"), 1));
    auto rank1 = startRank(1, 2, port, trainArguments(dir_.filePath("mismatch"), 1) + QStringList{"--lr", "0.01"});
    QVERIFY(rank0->finishWithin(60000) && rank1->finishWithin(60000));
    const QString expected = "rendezvous: rank 1 started with other settings or another model than rank 0 (run.json "
                             "and the resumed step must match on every rank)";
    QCOMPARE(rank0->exitCode(), 1);
    QCOMPARE(rank0->err().trimmed(), "vae-explorer train (rank 0 of 2): " + expected);
    QCOMPARE(rank1->exitCode(), 1);
    QCOMPARE(rank1->err().trimmed(), "vae-explorer train (rank 1 of 2): " + expected);
}

void TestDistributedCli::setupErrorsTakeOneLine_data() {
    QTest::addColumn<QStringList>("variables");  // NAME=VALUE
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");  // after "vae-explorer train..."
    QTest::newRow("mpirun without the address")
        << QStringList{"OMPI_COMM_WORLD_RANK=0", "OMPI_COMM_WORLD_SIZE=2", "MASTER_PORT=29999"} << QStringList{} << 2
        << "mpirun: MASTER_ADDR is not set (mpirun sets OMPI_COMM_WORLD_RANK; pass the rendezvous host with -x MASTER_ADDR=HOST)";
    QTest::newRow("--rank without the rest") << QStringList{} << QStringList{"--rank", "1"} << 2
                                             << "--world-size: is required with --world-size, --rank and --master";
    QTest::newRow("rank out of range") << QStringList{} << QStringList{"--world-size", "2", "--rank", "2", "--master", "h:1"}
                                       << 2 << "--rank: '2' is outside 0..1";
    QTest::newRow("bad master") << QStringList{} << QStringList{"--world-size", "2", "--rank", "0", "--master", "host"} << 2
                                << "--master: 'host' is not HOST:PORT";
    QTest::newRow("nobody else comes")
        << QStringList{} << QStringList{"--world-size", "2", "--rank", "0", "--master", "127.0.0.1:@PORT@", "--dist-timeout", "2"}
        << 1 << "rendezvous at 127.0.0.1:@PORT@: rank 1 of 2 did not arrive within 2 s";
}

void TestDistributedCli::setupErrorsTakeOneLine() {
    QFETCH(QStringList, variables);
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const QString port = QString::number(fixtures::freeLoopbackPort());
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& variable : variables) environment.insert(variable.section('=', 0, 0), variable.section('=', 1));
    process.setProcessEnvironment(environment);
    process.start(VAE_EXPLORER_EXE, QStringList{"train", "--dataset", data_, "--out", dir_.filePath("setup")} +
                                        options.replaceInStrings("@PORT@", port));
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), exitCode);
    const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    QVERIFY2(err.endsWith(expected.replace("@PORT@", port)) && !err.contains('\n'), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestDistributedCli)
#include "tst_distributedcli.moc"
