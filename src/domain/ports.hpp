// Ports: what the core needs from the outside world. Adapters in storage/ and mail/ implement
// them; only main chooses which.
#pragma once
#include <optional>
#include <string>

#include "domain/error.hpp"
#include "domain/session.hpp"

namespace sengen {

class SessionRepository {
public:
    virtual ~SessionRepository() = default;
    virtual Status create(const Session& s) = 0;
    // The live session with this hash, or nullopt when absent or expired at `now`.
    virtual Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) = 0;
    virtual Status extend(const std::string& id_hash, TimePoint expires_at) = 0;
    virtual Status remove(const std::string& id_hash) = 0;
    virtual Result<std::size_t> purge_expired(TimePoint now) = 0;
};

// The database as a whole: health, and the repositories.
class Store {
public:
    virtual ~Store() = default;
    virtual std::string engine() const = 0;  // "sqlite" or "postgresql"
    virtual Status ping() = 0;
    virtual SessionRepository& sessions() = 0;
};

}  // namespace sengen
