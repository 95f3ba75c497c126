// The file transport (mail = file:DIR): each mail becomes DIR/<outbox id>-<Message-ID>.eml. A
// file is written under a hidden temporary name, synced and then renamed, so that a reader
// (a person, a test, a script) never sees part of a mail.
#pragma once
#include <memory>
#include <string>

#include "mail/transport.hpp"

namespace sengen::mail {

class FileTransport final : public Transport {
public:
    // Creates the directory if needed.
    static Result<std::unique_ptr<FileTransport>> open(const std::string& directory);

    Status send(const Envelope& e) override;
    std::string describe() const override { return "file:" + directory_; }

    // The name a mail is written under (also after a retry: a second write replaces the first).
    static std::string file_name(const Envelope& e);

private:
    explicit FileTransport(std::string directory) : directory_(std::move(directory)) {}
    std::string directory_;
};

}  // namespace sengen::mail
