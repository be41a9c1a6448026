// Data-parallel training (distributed.h): launchers' variables, the rendezvous's failures, and
// two ranks in one process (two threads, loopback TCP) against one process alone.
#include "distributed.h"
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"

#include <QtTest>

#include <map>
#include <thread>

namespace {

using Environment = std::map<std::string, std::string>;

std::optional<vae::ProcessGroupSpec> specFrom(const Environment& environment) {
    return vae::launcherSpec([&](const char* name) -> const char* {
        const auto found = environment.find(name);
        return found == environment.end() ? nullptr : found->second.c_str();
    });
}

vae::ProcessGroupSpec loopbackSpec(int rank, int world, int port, double timeoutSeconds = 20) {
    vae::ProcessGroupSpec spec;
    spec.rank = rank;
    spec.worldSize = world;
    spec.localWorldSize = world;
    spec.masterAddress = "127.0.0.1";
    spec.masterPort = port;
    spec.launcher = "--world-size";
    spec.timeoutSeconds = timeoutSeconds;
    return spec;
}

// Every weight of a model, encoder then decoder.
std::vector<float> allWeights(const vae::Session& session) {
    std::vector<float> values;
    const auto append = [&](const std::vector<std::vector<float>>& tensors) {
        for (const auto& t : tensors) values.insert(values.end(), t.begin(), t.end());
    };
    const auto encoder = session.encoderWeights();
    const auto decoder = session.decoderWeights();
    append(encoder.weights);
    append(encoder.biases);
    append(decoder.weights);
    append(decoder.biases);
    return values;
}

struct RankOutcome {
    vae::TrainResult result;
    std::string error;  // from joining the group
    std::vector<float> weights;
};

}  // namespace

class TestDistributed : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { vae::setComputeThreads(1); }  // two ranks share this process's cores
    void launchersAreRead();
    void launcherErrorsNameTheVariable_data();
    void launcherErrorsNameTheVariable();
    void sharesCoverTheBatch();
    void twoRanksTrainAsOneProcess_data();
    void twoRanksTrainAsOneProcess();
    void aMissingRankIsNamed();
    void nothingAtTheMasterAddress();
    void aPortInUseIsReported();
    void ranksThatDisagreeAreNamed();
};

void TestDistributed::launchersAreRead() {
    QVERIFY(!specFrom({}));
    const auto torchrun = specFrom({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                                    {"MASTER_ADDR", "node0"}, {"MASTER_PORT", "29500"},
                                    {"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "3"},
                                    {"OMPI_COMM_WORLD_RANK", "0"}, {"OMPI_COMM_WORLD_SIZE", "8"}});
    QVERIFY(torchrun);
    QCOMPARE(torchrun->launcher, std::string("torchrun"));  // torchrun's variables win over mpirun's
    QCOMPARE(torchrun->rank, 1);
    QCOMPARE(torchrun->worldSize, 4);
    QCOMPARE(torchrun->localWorldSize, 2);
    QCOMPARE(torchrun->masterAddress, std::string("node0"));
    QCOMPARE(torchrun->masterPort, 29500);
    QVERIFY(torchrun->agentStore);
    QCOMPARE(torchrun->restartCount, 3);
    QCOMPARE(torchrun->defaultThreads(2), 1);
    QCOMPARE(torchrun->defaultThreads(16), 8);

    const auto mpirun = specFrom({{"OMPI_COMM_WORLD_RANK", "1"}, {"OMPI_COMM_WORLD_SIZE", "2"},
                                  {"OMPI_COMM_WORLD_LOCAL_RANK", "1"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "2"},
                                  {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "6000"}});
    QVERIFY(mpirun);
    QCOMPARE(mpirun->launcher, std::string("mpirun"));
    QCOMPARE(mpirun->rank, 1);
    QCOMPARE(mpirun->localRank, 1);
    QVERIFY(!mpirun->agentStore);

    const auto slurm = specFrom({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                                 {"SLURM_NTASKS_PER_NODE", "4"}, {"MASTER_ADDR", "n1"}, {"MASTER_PORT", "7000"}});
    QVERIFY(slurm);
    QCOMPARE(slurm->launcher, std::string("slurm"));
    QCOMPARE(slurm->rank, 5);
    QCOMPARE(slurm->localWorldSize, 4);
    QCOMPARE(slurm->defaultThreads(16), 4);

    // One task (an interactive Slurm shell, say): alone, no rendezvous needed.
    const auto alone = specFrom({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}});
    QVERIFY(alone && !alone->distributed());

    vae::ProcessGroupSpec byHand;
    byHand.worldSize = 3;
    vae::parseMasterAddress("[::1]:1234", byHand);
    QCOMPARE(byHand.masterAddress, std::string("::1"));
    QCOMPARE(byHand.masterPort, 1234);
    QCOMPARE(byHand.localWorldSize, 3);  // loopback: every rank on this machine
}

void TestDistributed::launcherErrorsNameTheVariable_data() {
    QTest::addColumn<QString>("variables");  // NAME=VALUE;...
    QTest::addColumn<QString>("expected");
    QTest::newRow("no address") << "OMPI_COMM_WORLD_RANK=0;OMPI_COMM_WORLD_SIZE=2;MASTER_PORT=1"
                                << "mpirun: MASTER_ADDR is not set (mpirun sets OMPI_COMM_WORLD_RANK; pass the rendezvous host with -x MASTER_ADDR=HOST)";
    QTest::newRow("no port") << "RANK=0;WORLD_SIZE=2;MASTER_ADDR=h" << "torchrun: MASTER_PORT is not set";
    QTest::newRow("bad port") << "RANK=0;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=99999"
                              << "torchrun: MASTER_PORT=99999 is not a port";
    QTest::newRow("rank too big") << "RANK=2;WORLD_SIZE=2" << "torchrun: RANK=2 is not below WORLD_SIZE=2";
    QTest::newRow("not a number") << "SLURM_PROCID=x;SLURM_NTASKS=2"
                                  << "slurm: SLURM_PROCID='x' is not a whole number of at least 0";
    QTest::newRow("no world size") << "RANK=0" << "torchrun: WORLD_SIZE is not set";
}

void TestDistributed::launcherErrorsNameTheVariable() {
    QFETCH(QString, variables);
    QFETCH(QString, expected);
    Environment environment;
    for (const QString& pair : variables.split(';'))
        environment[pair.section('=', 0, 0).toStdString()] = pair.section('=', 1).toStdString();
    try {
        specFrom(environment);
        QFAIL("no error");
    } catch (const vae::ConfigError& error) {
        QCOMPARE(QString(error.what()), expected);
    }
}

void TestDistributed::sharesCoverTheBatch() {
    for (int world : {1, 2, 3, 5})
        for (std::int64_t total : {0, 1, 2, 7, 128}) {
            std::int64_t next = 0;
            for (int rank = 0; rank < world; ++rank) {
                const auto [begin, end] = vae::shareOf(total, rank, world);
                QCOMPARE(begin, next);  // contiguous, in rank order
                QVERIFY(end - begin == total / world || end - begin == total / world + 1);
                next = end;
            }
            QCOMPARE(next, total);
        }
}

// Two ranks with the global batch fixed must train what one process trains: the same noise per
// image, the same averaged gradient (up to float summation order), identical weights on both.
// Batch 15 over 256 images leaves a last batch of 1, where rank 1 has no image at all.
// Free bits are judged on the global batch's KL (a sum over the ranks inside the step), and
// dynamic binarization draws each image's pixels by its place in the global batch.
void TestDistributed::twoRanksTrainAsOneProcess_data() {
    QTest::addColumn<bool>("extras");
    QTest::newRow("plain ELBO") << false;
    QTest::newRow("free bits, warm-up, dynamic binarization") << true;
}

void TestDistributed::twoRanksTrainAsOneProcess() {
    QFETCH(bool, extras);
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    const auto config = fixtures::tinyModel(8, {32}, 2);
    vae::TrainOptions options;
    options.epochs = 12;  // 216 steps
    options.batchSize = 15;
    options.seed = 5;
    if (extras) {
        options.freeBits = 1;
        options.warmupEpochs = 4;
        options.binarize = vae::Binarization::Dynamic;
    }

    vae::Session alone(config, "cpu", 9);
    vae::TrainControl control;
    const auto single = alone.train(data, options, control);
    QCOMPARE(int(single.status), int(vae::TrainStatus::Finished));

    const int port = fixtures::freeLoopbackPort();
    std::vector<vae::Session> sessions;
    for (int rank = 0; rank < 2; ++rank) sessions.emplace_back(config, "cpu", rank == 0 ? 9 : 10);  // rank 0's weights win
    RankOutcome outcomes[2];
    vae::TrainControl controls[2];
    std::vector<std::thread> ranks;
    for (int rank = 0; rank < 2; ++rank)
        ranks.emplace_back([&, rank] {
            try {
                vae::ProcessGroup group(loopbackSpec(rank, 2, port), "same settings");
                outcomes[rank].result = sessions[rank].train(data, options, controls[rank], {}, &group);
            } catch (const std::exception& error) {
                outcomes[rank].error = error.what();
            }
            outcomes[rank].weights = allWeights(sessions[rank]);
        });
    for (auto& rank : ranks) rank.join();
    for (const auto& outcome : outcomes) {
        QVERIFY2(outcome.error.empty(), outcome.error.c_str());
        QVERIFY2(outcome.result.status == vae::TrainStatus::Finished, outcome.result.error.c_str());
        QCOMPARE(outcome.result.epochs.size(), single.epochs.size());
    }
    QVERIFY(outcomes[0].weights == outcomes[1].weights);  // bit for bit
    for (std::size_t e = 0; e < single.epochs.size(); ++e)
        for (const auto& outcome : outcomes) {
            const auto& mine = outcome.result.epochs[e];
            const auto& theirs = single.epochs[e];
            QVERIFY2(qAbs(mine.train.loss - theirs.train.loss) < 1e-3 * theirs.train.loss,
                     qPrintable(QString("epoch %1: train %2 vs %3").arg(e + 1).arg(mine.train.loss).arg(theirs.train.loss)));
            QVERIFY2(qAbs(mine.test.loss - theirs.test.loss) < 1e-3 * theirs.test.loss,
                     qPrintable(QString("epoch %1: test %2 vs %3").arg(e + 1).arg(mine.test.loss).arg(theirs.test.loss)));
            QCOMPARE(mine.step, theirs.step);
        }
    const auto reference = allWeights(alone);
    double largest = 0;
    for (std::size_t i = 0; i < reference.size(); ++i)
        largest = std::max(largest, double(qAbs(reference[i] - outcomes[0].weights[i])));
    QVERIFY2(largest < 1e-3, qPrintable(QString("weights drifted by %1").arg(largest)));
    // Training must have moved the weights, or the comparison says nothing.
    QVERIFY(single.epochs.back().train.loss < single.epochs.front().train.loss - 1);
}

void TestDistributed::aMissingRankIsNamed() {
    const int port = fixtures::freeLoopbackPort();
    QElapsedTimer clock;
    clock.start();
    try {
        vae::ProcessGroup group(loopbackSpec(0, 3, port, 1.5), "x");
        QFAIL("joined without the other ranks");
    } catch (const vae::DistributedError& error) {
        QCOMPARE(QString(error.what()),
                 QString("rendezvous at 127.0.0.1:%1: ranks 1, 2 of 3 did not arrive within 1.5 s").arg(port));
    }
    QVERIFY(clock.elapsed() < 10000);
}

void TestDistributed::nothingAtTheMasterAddress() {
    const int port = fixtures::freeLoopbackPort();
    try {
        vae::ProcessGroup group(loopbackSpec(1, 2, port, 1), "x");
        QFAIL("joined with no rank 0");
    } catch (const vae::DistributedError& error) {
        QCOMPARE(QString(error.what()),
                 QString("rendezvous at 127.0.0.1:%1: nothing answered there within 1 s (rank 0 hosts it; last try: Connection refused)").arg(port));
    }
}

void TestDistributed::aPortInUseIsReported() {
    fixtures::ListeningPort taken;
    QVERIFY(taken.port() > 0);
    try {
        vae::ProcessGroup group(loopbackSpec(0, 2, taken.port(), 2), "x");
        QFAIL("listened on a port in use");
    } catch (const vae::DistributedError& error) {
        QCOMPARE(QString(error.what()),
                 QString("--master: rank 0 cannot listen on 127.0.0.1:%1 (the port is already in use)").arg(taken.port()));
    }
}

void TestDistributed::ranksThatDisagreeAreNamed() {
    const int port = fixtures::freeLoopbackPort();
    std::string errors[3];
    std::vector<std::thread> ranks;
    for (int rank = 0; rank < 3; ++rank)
        ranks.emplace_back([&, rank] {
            try {
                vae::ProcessGroup group(loopbackSpec(rank, 3, port, 20), rank == 2 ? "other settings" : "settings");
            } catch (const std::exception& error) {
                errors[rank] = error.what();
            }
        });
    for (auto& rank : ranks) rank.join();
    for (const auto& error : errors)
        QCOMPARE(QString::fromStdString(error),
                 QString("rendezvous: rank 2 started with other settings or another model than rank 0 (run.json and "
                         "the resumed step must match on every rank)"));
}

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
