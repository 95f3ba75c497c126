// Mail written to files, atomically: temporary name, fsync, rename, fsync of the directory.
#include "mail/transport_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "mail/message.hpp"

namespace sengen::mail {

namespace {

Error io_error(const std::string& what) { return Error::unavailable("mail.file", what + ": " + std::strerror(errno)); }

}  // namespace

Result<std::unique_ptr<FileTransport>> FileTransport::open(const std::string& directory) {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec || !std::filesystem::is_directory(directory, ec))
        return fail(Error::unavailable("mail.file", "cannot create mail directory " + directory));
    return std::unique_ptr<FileTransport>(new FileTransport(directory));
}

std::string FileTransport::file_name(const Envelope& e) {
    std::string id = header_value(e.message, "Message-ID").value_or("");
    std::string safe;
    for (char c : id) {
        if (c == '<' || c == '>') continue;
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '@';
        safe += ok ? c : '_';
        if (safe.size() >= 120) break;
    }
    char num[32];
    std::snprintf(num, sizeof num, "%08lld", static_cast<long long>(e.outbox_id));
    return std::string(num) + (safe.empty() ? "" : "-" + safe) + ".eml";
}

Status FileTransport::send(const Envelope& e) {
    const std::string name = file_name(e);
    const std::string final_path = directory_ + "/" + name;
    // Hidden and without the .eml ending: nobody looking for mail picks it up half written.
    const std::string temp_path = directory_ + "/." + name + ".tmp";

    int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return fail(io_error("cannot create " + temp_path));
    auto discard = [&](const std::string& what) {
        auto err = io_error(what);
        ::close(fd);
        ::unlink(temp_path.c_str());
        return fail(std::move(err));
    };
    std::size_t done = 0;
    while (done < e.message.size()) {
        auto n = ::write(fd, e.message.data() + done, e.message.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return discard("cannot write " + temp_path);
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return discard("cannot sync " + temp_path);
    if (::close(fd) != 0) {
        auto err = io_error("cannot close " + temp_path);
        ::unlink(temp_path.c_str());
        return fail(std::move(err));
    }
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        auto err = io_error("cannot rename to " + final_path);
        ::unlink(temp_path.c_str());
        return fail(std::move(err));
    }
    // The rename itself must reach the disk before the outbox says "sent".
    int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return fail(io_error("cannot open " + directory_));
    const int synced = ::fsync(dir);
    ::close(dir);
    if (synced != 0) return fail(io_error("cannot sync " + directory_));
    return {};
}

}  // namespace sengen::mail
