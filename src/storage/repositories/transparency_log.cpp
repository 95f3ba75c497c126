// The transparency log's tables (tlog_entries, tlog_hashes, tlog_head, tlog_checkpoints; ADR 46;
// tlog_cosignatures, ADR 55)
// and the record salt of declarations: SQL and row mapping. Hashes are kept as lowercase hex.
#include <algorithm>

#include "storage/batched_insert.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kSize{"tlog_size", "SELECT size FROM tlog_head WHERE one = 1"};
// The row lock orders appenders of every node until they commit or roll back (ADR 46).
constexpr Statement kSizeLocked{"tlog_size_locked", "SELECT size FROM tlog_head WHERE one = 1 FOR UPDATE"};
constexpr Statement kSetSize{"tlog_set_size", "UPDATE tlog_head SET size = $2 WHERE one = 1 AND size = $1"};
constexpr Statement kHash{"tlog_hash", "SELECT hash FROM tlog_hashes WHERE idx = $1"};
constexpr Statement kHashRange{"tlog_hash_range",
                               "SELECT idx, hash FROM tlog_hashes WHERE idx >= $1 AND idx <= $2 ORDER BY idx"};
constexpr Statement kEntries{"tlog_entries",
                             "SELECT idx, entry FROM tlog_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx"};
constexpr Statement kLatestOf{"tlog_latest_of",
                              "SELECT idx, declaration_id, entry, appended_at FROM tlog_entries "
                              "WHERE declaration_id = $1 ORDER BY idx DESC LIMIT 1"};
constexpr Statement kSalt{"tlog_record_salt", "SELECT record_salt FROM declarations WHERE id = $1"};
constexpr Statement kSaltRange{"tlog_record_salt_range",
                               "SELECT id, record_salt FROM declarations WHERE id >= $1 AND id <= $2"};
constexpr Statement kLatestCheckpoint{"tlog_latest_checkpoint",
                                      "SELECT size, note, signed_at FROM tlog_checkpoints ORDER BY size DESC LIMIT 1"};
constexpr Statement kAddCheckpoint{"tlog_add_checkpoint",
                                   "INSERT INTO tlog_checkpoints (size, note, signed_at) VALUES ($1, $2, $3) "
                                   "ON CONFLICT (size) DO NOTHING"};
constexpr Statement kCheckpointOf{"tlog_checkpoint_of",
                                  "SELECT size, note, signed_at FROM tlog_checkpoints WHERE size = $1"};
// Walks the primary key (size, witness) from the largest size down, and stops at the first size
// with enough witnesses.
constexpr Statement kLatestCosignedSize{"tlog_latest_cosigned_size",
                                        "SELECT size FROM tlog_cosignatures GROUP BY size HAVING count(*) >= $1 "
                                        "ORDER BY size DESC LIMIT 1"};
constexpr Statement kAddCosignature{"tlog_add_cosignature",
                                    "INSERT INTO tlog_cosignatures (size, witness, line, received_at) "
                                    "VALUES ($1, $2, $3, $4) ON CONFLICT (size, witness) DO NOTHING"};
constexpr Statement kCosignaturesOf{"tlog_cosignatures_of",
                                    "SELECT line FROM tlog_cosignatures WHERE size = $1 ORDER BY witness"};

// `OR FAIL` on SQLite for the same reason as kSetSaltSqlite.
const BatchedInsert& insert_entries(Dialect d) {
    static const BatchedInsert sqlite{
        "tlog_insert_entries", "INSERT OR FAIL INTO tlog_entries (idx, declaration_id, entry, appended_at) VALUES", 4,
        ""};
    static const BatchedInsert postgres{
        "tlog_insert_entries", "INSERT INTO tlog_entries (idx, declaration_id, entry, appended_at) VALUES", 4, ""};
    return d == Dialect::Sqlite ? sqlite : postgres;
}
// Many salts a statement, each written only where none is: UPDATE ... FROM a VALUES list (SQLite
// names its columns column1, column2; PostgreSQL reads the parameters as text).
const BatchedInsert& set_salts(Dialect d) {
    static const BatchedInsert sqlite{"tlog_set_record_salts",
                                      "UPDATE OR FAIL declarations SET record_salt = v.column2 FROM (VALUES", 2,
                                      ") AS v WHERE declarations.id = v.column1 AND declarations.record_salt IS NULL"};
    static const BatchedInsert postgres{"tlog_set_record_salts",
                                        "UPDATE declarations AS d SET record_salt = v.salt::text FROM (VALUES", 2,
                                        ") AS v(id, salt) WHERE d.id = v.id::bigint AND d.record_salt IS NULL"};
    return d == Dialect::Sqlite ? sqlite : postgres;
}
const BatchedInsert& insert_hashes(Dialect d) {
    static const BatchedInsert sqlite{"tlog_insert_hashes", "INSERT OR FAIL INTO tlog_hashes (idx, hash) VALUES", 2,
                                      ""};
    static const BatchedInsert postgres{"tlog_insert_hashes", "INSERT INTO tlog_hashes (idx, hash) VALUES", 2, ""};
    return d == Dialect::Sqlite ? sqlite : postgres;
}

constexpr char kHex[] = "0123456789abcdef";

std::string hex_of(const LogHash& h) {
    std::string out(h.size() * 2, '0');
    for (std::size_t i = 0; i < h.size(); ++i) {
        out[2 * i] = kHex[h[i] >> 4];
        out[2 * i + 1] = kHex[h[i] & 0x0f];
    }
    return out;
}

int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

Result<LogHash> hash_of(std::string_view hex) {
    LogHash h{};
    if (hex.size() != h.size() * 2) return fail(corrupt("tlog_hashes: a hash is not 32 bytes of hex"));
    for (std::size_t i = 0; i < h.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return fail(corrupt("tlog_hashes: a hash is not 32 bytes of hex"));
        h[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return h;
}

Result<std::int64_t> read_size(SqlConnection& c, const Statement& s) {
    auto size = first_int64(c, s, {});
    if (!size) return fail(size.error());
    if (!*size) return fail(corrupt("tlog_head has no row"));
    return **size;
}

}  // namespace

Result<std::int64_t> SqlTransparencyLog::lock_size() {
    return read_size(c_, c_.dialect() == Dialect::Postgres ? kSizeLocked : kSize);
}

Result<std::int64_t> SqlTransparencyLog::size() { return read_size(c_, kSize); }

Result<std::vector<LogHash>> SqlTransparencyLog::hashes(std::span<const std::int64_t> indexes) {
    std::vector<LogHash> out(indexes.size());
    if (indexes.empty()) return out;
    const auto [low, high] = std::minmax_element(indexes.begin(), indexes.end());
    const std::int64_t lo = *low, hi = *high;  // plain copies: a lambda below uses lo
    const auto span = hi - lo + 1;
    // A tile's or a subtree's hashes lie close together: one range read. Scattered ones (a
    // proof's) are read one by one.
    if (span <= static_cast<std::int64_t>(indexes.size()) * 4) {
        std::vector<std::optional<LogHash>> range(static_cast<std::size_t>(span));
        auto read = [&](const Row& r) -> Status {
            auto h = hash_of(r.text(1));
            if (!h) return fail(h.error());
            range[static_cast<std::size_t>(r.int64(0) - lo)] = *h;
            return {};
        };
        const std::array<Param, 2> params{Param(lo), Param(hi)};
        if (auto ran = c_.run(kHashRange, params, read, Fetch::All); !ran) return fail(ran.error());
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            const auto& h = range[static_cast<std::size_t>(indexes[i] - lo)];
            if (!h) return fail(corrupt("tlog_hashes: hash " + std::to_string(indexes[i]) + " is missing"));
            out[i] = *h;
        }
        return out;
    }
    for (std::size_t i = 0; i < indexes.size(); ++i) {
        auto h = first(c_, kHash, {indexes[i]}, [](const Row& r) { return hash_of(r.text(0)); });
        if (!h) return fail(h.error());
        if (!*h) return fail(corrupt("tlog_hashes: hash " + std::to_string(indexes[i]) + " is missing"));
        out[i] = **h;
    }
    return out;
}

Status SqlTransparencyLog::append(std::span<const LogLeaf> leaves, std::int64_t first_hash,
                                  std::span<const LogHash> hashes) {
    if (leaves.empty()) return {};
    const std::int64_t from = leaves.front().index;
    const auto to = from + static_cast<std::int64_t>(leaves.size());
    // Moved only from the size the caller locked: a caller that did not lock, or counted wrong,
    // finds no row to update rather than leaving a gap or writing an index twice.
    auto moved = execute(c_, kSetSize, {from, to});
    if (!moved) return fail(moved.error());
    if (*moved != 1)
        return fail(Error::conflict("tlog.head_moved", "the log's head is not at " + std::to_string(from)));
    if (auto ok = insert_entries(c_.dialect())
                      .run(c_, leaves.size(),
                           [&](std::size_t i, BatchParams& out) {
                               const LogLeaf& l = leaves[i];
                               out.add(from + static_cast<std::int64_t>(i));
                               out.add(l.declaration_id);
                               out.add(std::string_view(l.entry));
                               out.add(l.appended_at);
                           });
        !ok)
        return ok;
    return insert_hashes(c_.dialect()).run(c_, hashes.size(), [&](std::size_t i, BatchParams& out) {
        out.add(first_hash + static_cast<std::int64_t>(i));
        out.add(out.keep(hex_of(hashes[i])));
    });
}

Result<std::vector<std::string>> SqlTransparencyLog::entries(std::int64_t first_index, std::int64_t count) {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
    std::int64_t expected = first_index;
    auto read = [&](const Row& r) -> Status {
        if (r.int64(0) != expected)
            return fail(corrupt("tlog_entries: entry " + std::to_string(expected) + " is missing"));
        ++expected;
        out.push_back(r.string(1));
        return {};
    };
    const std::array<Param, 2> params{Param(first_index), Param(first_index + count)};
    if (auto ran = c_.run(kEntries, params, read, Fetch::All); !ran) return fail(ran.error());
    if (expected != first_index + count)
        return fail(corrupt("tlog_entries: entry " + std::to_string(expected) + " is missing"));
    return out;
}

Result<std::optional<LogLeaf>> SqlTransparencyLog::latest_of(std::int64_t declaration_id) {
    return first(c_, kLatestOf, {declaration_id}, [](const Row& r) {
        return LogLeaf{r.int64(0), r.int64(1), r.string(2), r.time(3)};
    });
}

Result<std::optional<std::string>> SqlTransparencyLog::record_salt(std::int64_t declaration_id) {
    auto salt = first(c_, kSalt, {declaration_id}, [](const Row& r) { return r.optional_string(0); });
    if (!salt) return fail(salt.error());
    if (!*salt) return std::optional<std::string>();
    return std::move(**salt);
}

Result<std::vector<std::optional<std::string>>> SqlTransparencyLog::record_salts(std::span<const std::int64_t> ids) {
    std::vector<std::optional<std::string>> out(ids.size());
    if (ids.empty()) return out;
    const auto [low, high] = std::minmax_element(ids.begin(), ids.end());
    const std::int64_t lo = *low, hi = *high;
    // An import's part is a run of consecutive ids: one range read. Scattered ones one by one.
    if (hi - lo + 1 > static_cast<std::int64_t>(ids.size()) * 4) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto salt = record_salt(ids[i]);
            if (!salt) return fail(salt.error());
            out[i] = std::move(*salt);
        }
        return out;
    }
    std::vector<std::optional<std::string>> range(static_cast<std::size_t>(hi - lo + 1));
    auto read = [&](const Row& r) -> Status {
        range[static_cast<std::size_t>(r.int64(0) - lo)] = r.optional_string(1);
        return {};
    };
    const std::array<Param, 2> params{Param(lo), Param(hi)};
    if (auto ran = c_.run(kSaltRange, params, read, Fetch::All); !ran) return fail(ran.error());
    for (std::size_t i = 0; i < ids.size(); ++i) out[i] = range[static_cast<std::size_t>(ids[i] - lo)];
    return out;
}

Status SqlTransparencyLog::set_record_salts(std::span<const std::pair<std::int64_t, std::string>> salts) {
    return set_salts(c_.dialect()).run(c_, salts.size(), [&](std::size_t i, BatchParams& out) {
        out.add(salts[i].first);
        out.add(std::string_view(salts[i].second));
    });
}

Result<std::optional<SignedCheckpoint>> SqlTransparencyLog::latest_checkpoint() {
    return first(c_, kLatestCheckpoint, {}, [](const Row& r) {
        return SignedCheckpoint{r.int64(0), r.string(1), r.time(2)};
    });
}

Result<bool> SqlTransparencyLog::add_checkpoint(const SignedCheckpoint& c) {
    auto n = execute(c_, kAddCheckpoint, {c.size, c.note, c.signed_at});
    if (!n) return fail(n.error());
    return *n == 1;
}

Result<std::optional<SignedCheckpoint>> SqlTransparencyLog::checkpoint_of(std::int64_t size) {
    return first(c_, kCheckpointOf, {size}, [](const Row& r) {
        return SignedCheckpoint{r.int64(0), r.string(1), r.time(2)};
    });
}

Result<std::optional<std::int64_t>> SqlTransparencyLog::latest_cosigned_size(int required) {
    return first(c_, kLatestCosignedSize, {std::int64_t{required}}, [](const Row& r) { return r.int64(0); });
}

Status SqlTransparencyLog::add_cosignature(const StoredCosignature& c) {
    return perform(c_, kAddCosignature, {c.size, c.witness, c.line, c.received_at});
}

Result<std::vector<std::string>> SqlTransparencyLog::cosignatures_of(std::int64_t size) {
    return all(c_, kCosignaturesOf, {size}, [](const Row& r) { return r.string(0); });
}

}  // namespace sengen::storage
