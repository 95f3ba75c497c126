// The witness's per-log record in files (see witness_state.hpp).
#include "storage/witness_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tlog/encoding.hpp"

namespace sengen::storage {
namespace {

Error io_error(const std::string& what) {
    return Error::unavailable("witness.state", what + ": " + std::strerror(errno));
}

// Holds flock on the lock file for its life.
class FileLock {
public:
    explicit FileLock(int fd) : fd_(fd) {
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~FileLock() { ::flock(fd_, LOCK_UN); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

Result<std::optional<std::string>> read_file(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::optional<std::string>{};
        return fail(io_error("cannot read " + path));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(io_error("cannot read " + path));
    std::ostringstream text;
    text << in.rdbuf();
    return std::optional<std::string>{text.str()};
}

}  // namespace

Result<std::unique_ptr<WitnessState>> WitnessState::open(const std::string& directory) {
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) return fail(io_error("cannot create " + directory));
    const std::string lock = directory + "/lock";
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail(io_error("cannot open " + lock));
    return std::unique_ptr<WitnessState>(new WitnessState(directory, fd));
}

WitnessState::~WitnessState() { ::close(lock_fd_); }

std::string WitnessState::path_of(const std::string& origin) const {
    // The origin in URL-safe base64: any origin becomes one file name, and no two share one.
    std::string name = tlog::base64({reinterpret_cast<const unsigned char*>(origin.data()), origin.size()});
    for (char& c : name) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!name.empty() && name.back() == '=') name.pop_back();
    return directory_ + "/" + name + ".checkpoint";
}

Result<std::optional<std::string>> WitnessState::read(const std::string& origin) {
    std::lock_guard guard(mutex_);
    FileLock lock(lock_fd_);
    return read_file(path_of(origin));
}

Result<tlog::WitnessAnswer> WitnessState::update(
    const std::string& origin, const std::function<tlog::WitnessAnswer(const std::optional<std::string>&)>& step) {
    if (origin.size() > 180) return fail(Error::invalid({}, "witness.origin_too_long"));
    std::lock_guard guard(mutex_);
    FileLock lock(lock_fd_);
    const std::string path = path_of(origin);
    auto kept = read_file(path);
    if (!kept) return fail(kept.error());
    tlog::WitnessAnswer answer = step(*kept);
    if (!answer.keep) return answer;
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail(io_error("cannot write " + temporary));
    const bool written = write_all(fd, *answer.keep) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) return fail(io_error("cannot keep " + path));
    // The rename itself is made durable by syncing the directory.
    const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
    return answer;
}

}  // namespace sengen::storage
