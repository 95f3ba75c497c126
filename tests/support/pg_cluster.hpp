// A throwaway PostgreSQL 15 cluster for a test process, started by tests/support/pg-cluster.sh
// (which also removes it if this process dies without stopping it). Header-only test support.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

namespace sengen::testing {

class PgCluster {
public:
    enum class State { NotStarted, Running, Missing, Failed };

    explicit PgCluster(std::string script) : script_(std::move(script)) {}
    ~PgCluster() { stop(); }
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    // Starts the cluster on first call; later calls return the state reached the first time.
    State ensure_started() {
        if (state_ != State::NotStarted) return state_;
        const std::string cmd = script_ + " start " + std::to_string(::getpid()) + " 2>&1";
        std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
        std::string out;
        std::array<char, 512> buf{};
        while (pipe && std::fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
        const int status = pipe ? ::pclose(pipe.release()) : -1;
        const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (rc == 0) {
            std::istringstream in(out);
            in >> port_ >> dir_;
            state_ = port_ > 0 && !dir_.empty() ? State::Running : State::Failed;
            if (state_ == State::Failed) problem_ = "unexpected output from pg-cluster.sh: " + out;
        } else {
            state_ = rc == 3 ? State::Missing : State::Failed;
            problem_ = out;
        }
        return state_;
    }

    void stop() {
        if (state_ != State::Running) return;
        const std::string cmd = script_ + " stop " + dir_;
        (void)std::system(cmd.c_str());
        state_ = State::Failed;
        problem_ = "stopped";
    }

    int port() const { return port_; }
    const std::string& problem() const { return problem_; }

    // A URL for database `db` as the superuser (trust auth on loopback: no password).
    std::string url(const std::string& db) const {
        return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
    }

private:
    std::string script_;
    State state_ = State::NotStarted;
    int port_ = 0;
    std::string dir_;
    std::string problem_;
};

// CI=true: a missing PostgreSQL fails the PostgreSQL cases instead of skipping them.
inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

}  // namespace sengen::testing
