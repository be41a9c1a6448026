#pragma once
// The thread of a service that keeps only the newest request of each kind, as in Qt's
// Mandelbrot example: callers change the pending state under the lock and wake the thread; the
// thread waits until there is work or it is told to stop; the destructor stops and joins.
// std primitives rather than QMutex/QThread: ThreadSanitizer sees through them (Debian's Qt is
// not instrumented), so the TSan build checks these boundaries for real.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace vae {

class ServiceThread {
public:
    ServiceThread() = default;
    ServiceThread(const ServiceThread&) = delete;
    ServiceThread& operator=(const ServiceThread&) = delete;
    ~ServiceThread() { stop(); }

    void start(std::function<void()> loop) {
        if (!thread_.joinable()) thread_ = std::thread(std::move(loop));
    }
    // Stops the loop at its next wait and joins it. Owners call it before their members go.
    void stop() {
        post([this] { stopping_ = true; });
        if (thread_.joinable()) thread_.join();
    }
    // Changes the pending state under the lock, then wakes the thread.
    template <typename Change>
    void post(Change&& change) {
        {
            std::lock_guard lock(mutex_);
            change();
        }
        wake_.notify_one();
    }
    // In the loop: waits until `ready()` (checked under the lock) or stop(). Returns false on
    // stop; otherwise `take()` runs under the lock, to move the work out of the pending state.
    template <typename Ready, typename Take>
    bool next(Ready&& ready, Take&& take) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || ready(); });
        if (stopping_) return false;
        take();
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vae
