// PostgreSQL adapter: the SqlConnection port over libpqxx (statements prepared per connection on
// first use), the pool, transactions and migrations. libpqxx exceptions become Error values here,
// at the boundary, with any password from the connection URL scrubbed from their text.
#include "storage/postgres/pg_store.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <unordered_set>

#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include "storage/repositories.hpp"

// A statement parameter as libpqxx passes it: NULL, or its text form.
template <>
struct pqxx::string_traits<sengen::storage::Param> {
    using Param = sengen::storage::Param;
    static constexpr const char* name() noexcept { return "sengen::storage::Param"; }
    static constexpr bool has_null() noexcept { return true; }
    static bool is_null(const Param& p) { return p.kind == Param::Kind::Null; }
    static Param null() { return Param(std::nullopt); }
    static void from_string(const char[], Param&) { internal::throw_null_conversion(name()); }
    static std::string to_string(const Param& p) {
        return p.kind == Param::Kind::Integer ? std::to_string(p.integer) : std::string(p.text);
    }
};

namespace sengen::storage::postgres {

namespace {

using sql::Statement;

// The key of the advisory lock held while migrating: "sengen" in ASCII.
constexpr long long kMigrationLockKey = 0x73656e67656e;
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";
constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, EXTRACT(EPOCH FROM now())::BIGINT)";

// How long a transaction waits for a free connection when all `pool_size` are lent out.
constexpr std::chrono::seconds kPoolWait{10};

// --- secrets in the URL ------------------------------------------------------------------------

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct Span {
    std::size_t begin, end;
};

// Where passwords are written in a postgresql:// URL. libpq reads the user part up to the first
// '@' or '/', and key=value parameters after '?'.
std::vector<Span> password_spans(std::string_view url) {
    std::vector<Span> out;
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return out;
    const std::size_t start = scheme + 3;
    const auto stop = url.find_first_of("@/", start);
    if (stop != std::string_view::npos && url[stop] == '@') {
        const auto colon = url.find(':', start);
        if (colon != std::string_view::npos && colon < stop) out.push_back({colon + 1, stop});
    }
    const auto query = url.find('?', start);
    if (query != std::string_view::npos) {
        std::size_t p = query + 1;
        while (p < url.size()) {
            auto amp = url.find('&', p);
            if (amp == std::string_view::npos) amp = url.size();
            const auto kv = url.substr(p, amp - p);
            const auto eq = kv.find('=');
            if (eq != std::string_view::npos && percent_decode(kv.substr(0, eq)) == "password")
                out.push_back({p + eq + 1, amp});
            p = amp + 1;
        }
    }
    return out;
}

void replace_all(std::string& s, std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
        s.replace(pos, what.size(), with);
}

// --- connections -----------------------------------------------------------------------------

struct Connection {
    pqxx::connection conn;
    // The statements registered with libpqxx on this connection (it sends the PREPARE on first use).
    std::unordered_set<std::string_view> prepared;

    explicit Connection(const std::string& url) : conn(url) {
        // Notices such as "relation already exists, skipping" are not for the server's log.
        pqxx::nontransaction n(conn);
        n.exec("SET client_min_messages TO warning");
    }

    void prepare(const Statement& s) {
        if (prepared.contains(s.name)) return;
        conn.prepare(std::string(s.name), std::string(s.text));
        prepared.insert(s.name);
    }
};

// The row a result is on.
class PgRow final : public Row {
public:
    explicit PgRow(const pqxx::row& r) : r_(r) {}
    bool is_null(int column) const override { return r_[column].is_null(); }
    std::int64_t int64(int column) const override { return r_[column].is_null() ? 0 : r_[column].as<std::int64_t>(); }
    std::string_view text(int column) const override {
        const auto f = r_[column];
        if (f.is_null()) return {};
        return {f.c_str(), f.size()};
    }

private:
    const pqxx::row& r_;
};

}  // namespace

// The pool, and the translation of libpqxx exceptions.
struct PgStore::Impl {
    std::string url;
    unsigned max_size = 1;
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<std::unique_ptr<Connection>> idle;
    unsigned open = 0;  // idle + lent out

    // A library exception as an Error, secrets removed. Sets `broken` when the connection is
    // no longer usable (it is then dropped rather than returned to the pool).
    Error error(const std::exception& e, bool& broken) const {
        // libpq's messages run over several lines ("...failed: ...\n\tIs the server running...").
        std::string what = scrub_secrets(e.what(), url);
        for (auto& ch : what)
            if (ch == '\n' || ch == '\t') ch = ' ';
        while (!what.empty() && what.back() == ' ') what.pop_back();
        if (dynamic_cast<const pqxx::broken_connection*>(&e) || dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
            broken = true;
            return Error::unavailable("storage.unavailable", what);
        }
        if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&e)) {
            const auto& state = se->sqlstate();
            if (state == "23505") return Error::conflict("storage.conflict", what);  // unique_violation
            // Class 08 (connection exception) and 57P (operator intervention: shutdown, ...).
            if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) broken = true;
        }
        return Error::unavailable("storage.unavailable", what);
    }

    Error connect_error(const std::exception& e) const {
        bool ignored = false;
        Error err = error(e, ignored);
        err.detail = "cannot connect to " + redact_url(url) + ": " + err.detail;
        return err;
    }

    // A connection lent for the scope of one transaction.
    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Connection> c) : impl_(&impl), c_(std::move(c)) {}
        ~Lease() {
            if (!c_) return;
            if (!broken_ && c_->conn.is_open()) {
                std::lock_guard lock(impl_->mutex);
                impl_->idle.push_back(std::move(c_));
            } else {
                c_.reset();  // closes it, outside the lock
                std::lock_guard lock(impl_->mutex);
                --impl_->open;
            }
            impl_->freed.notify_one();
        }
        Lease(Lease&& o) noexcept : impl_(o.impl_), c_(std::move(o.c_)), broken_(o.broken_) {}
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *c_; }
        Connection* operator->() { return c_.get(); }
        void mark_broken() { broken_ = true; }

    private:
        Impl* impl_;
        std::unique_ptr<Connection> c_;
        bool broken_ = false;
    };

    Result<Lease> lease() {
        std::unique_lock lock(mutex);
        if (!freed.wait_for(lock, kPoolWait, [&] { return !idle.empty() || open < max_size; }))
            return fail(Error::unavailable("storage.pool_exhausted", "all " + std::to_string(max_size) +
                                                                         " PostgreSQL connections stayed busy for " +
                                                                         std::to_string(kPoolWait.count()) +
                                                                         " s (pg-pool-size)"));
        if (!idle.empty()) {
            auto c = std::move(idle.back());
            idle.pop_back();
            return Lease(*this, std::move(c));
        }
        ++open;
        lock.unlock();
        try {
            return Lease(*this, std::make_unique<Connection>(url));
        } catch (const std::exception& e) {
            {
                std::lock_guard relock(mutex);
                --open;
            }
            freed.notify_one();
            return fail(connect_error(e));
        }
    }
};

namespace {

// One row of COPY's text format into `line`: values separated by tabs, NULL as \N, and in text
// the four bytes that would end a value or a row, or start an escape, written as escapes
// (https://www.postgresql.org/docs/15/sql-copy.html, "Text Format"). Every other byte goes as it
// is: in UTF-8 no byte of a multi-byte character is below 0x80, so none is taken for a tab or a
// backslash, and the server checks the encoding as for any statement. False for a NUL, which no
// PostgreSQL text can hold.
constexpr std::string_view kCopySpecial{"\\\t\n\r\0", 5};

bool copy_text_line(std::span<const Param> values, std::string& line) {
    line.clear();
    for (std::size_t k = 0; k < values.size(); ++k) {
        if (k > 0) line += '\t';
        const Param& p = values[k];
        if (p.kind == Param::Kind::Null) {
            line += "\\N";
        } else if (p.kind == Param::Kind::Integer) {
            line += std::to_string(p.integer);
        } else {
            // Runs of ordinary bytes at once; the few that need it escaped.
            std::string_view rest = p.text;
            for (auto at = rest.find_first_of(kCopySpecial); at != std::string_view::npos;
                 at = rest.find_first_of(kCopySpecial)) {
                line.append(rest.substr(0, at));
                switch (rest[at]) {
                    case '\\':
                        line += "\\\\";
                        break;
                    case '\t':
                        line += "\\t";
                        break;
                    case '\n':
                        line += "\\n";
                        break;
                    case '\r':
                        line += "\\r";
                        break;
                    default:
                        return false;  // NUL
                }
                rest.remove_prefix(at + 1);
            }
            line.append(rest);
        }
    }
    return true;
}

// The port on one connection for one transaction. The error of the first failed statement:
// PostgreSQL aborts the transaction there, so later calls fail with the same error and the
// transaction rolls back.
class PgSql final : public SqlConnection {
public:
    PgSql(pqxx::transaction_base& t, Connection& c, const PgStore::Impl& impl) : t_(t), c_(c), impl_(impl) {}
    Dialect dialect() const override { return Dialect::Postgres; }
    const std::optional<Error>& failure() const { return failed_; }
    bool connection_broken() const { return broken_; }

    Result<std::size_t> run(const Statement& s, std::span<const Param> params, RowSink on_row, Fetch fetch) override {
        if (failed_) return fail(*failed_);
        Status read;
        std::size_t changed = 0;
        try {
            c_.prepare(s);
            const pqxx::result r =
                t_.exec_prepared(std::string(s.name), pqxx::prepare::make_dynamic_params(params.begin(), params.end()));
            for (const auto& row : r) {
                if (on_row && !(read = on_row(PgRow(row)))) break;
                if (fetch == Fetch::First) break;
            }
            changed = r.affected_rows();
        } catch (const std::exception& e) {
            failed_ = impl_.error(e, broken_);
            return fail(*failed_);
        }
        if (!read) return fail(read.error());
        return changed;
    }

    Status copy_rows(const sql::CopyTarget& target, std::size_t count,
                     const std::function<std::span<const Param>(std::size_t)>& row) override {
        if (failed_) return fail(*failed_);
        std::vector<std::string> columns(target.columns.begin(), target.columns.end());
        std::string line;
        try {
            // libpqxx 6.4's stream_to takes rows as tuples only and writes every byte above 0x7F as
            // an octal escape; tablewriter sends a line as it is given, so the line is escaped here
            // (copy_text_line). Deprecated in libpqxx, but the one public way to send COPY data.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
            pqxx::tablewriter copy(t_, std::string(target.table), columns.begin(), columns.end());
#pragma GCC diagnostic pop
            for (std::size_t i = 0; i < count; ++i) {
                const auto values = row(i);
                if (values.size() != columns.size())
                    throw std::logic_error(std::string(target.table) + ": a row with the wrong number of values");
                if (!copy_text_line(values, line))
                    throw std::invalid_argument(std::string(target.table) + ": a value holds a NUL character");
                copy.write_raw_line(line);
            }
            copy.complete();
        } catch (const std::exception& e) {
            failed_ = impl_.error(e, broken_);
            return fail(*failed_);
        }
        return {};
    }

private:
    pqxx::transaction_base& t_;
    Connection& c_;
    const PgStore::Impl& impl_;
    std::optional<Error> failed_;
    bool broken_ = false;
};

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, unsigned pool_size) {
    auto impl = std::make_unique<Impl>();
    impl->url = url;
    impl->max_size = std::max(1u, pool_size);
    try {
        impl->idle.push_back(std::make_unique<Connection>(url));
        impl->open = 1;
    } catch (const std::exception& e) {
        return fail(impl->connect_error(e));
    }
    return std::unique_ptr<PgStore>(new PgStore(std::move(impl)));
}

PgStore::PgStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgStore::~PgStore() = default;

Status PgStore::ping() {
    auto c = impl_->lease();
    if (!c) return fail(c.error());
    try {
        pqxx::nontransaction n((*c)->conn);
        n.exec("SELECT 1");
        return {};
    } catch (const std::exception& e) {
        bool broken = false;
        auto err = impl_->error(e, broken);
        if (broken) c->mark_broken();
        return fail(std::move(err));
    }
}

Status PgStore::transact(TxMode mode, const std::function<Status(Transaction&)>& work) {
    auto c = impl_->lease();
    if (!c) return fail(c.error());
    bool broken = false;
    Status result;
    try {
        std::unique_ptr<pqxx::transaction_base> t;
        if (mode == TxMode::Write || mode == TxMode::WriteMany)
            t = std::make_unique<pqxx::work>((*c)->conn);
        else if (mode == TxMode::Read || mode == TxMode::ReadMany)
            t = std::make_unique<pqxx::read_transaction>((*c)->conn);
        else  // TxMode::Single: one statement, atomic by itself; no BEGIN and COMMIT round trips.
            t = std::make_unique<pqxx::nontransaction>((*c)->conn);
        PgSql sql(*t, **c, *impl_);
        try {
            SqlTransaction tx(sql);
            result = work(tx);
            if (result && sql.failure()) result = fail(*sql.failure());
        } catch (const std::exception& e) {
            result = fail(impl_->error(e, broken));
        }
        broken = broken || sql.connection_broken();
        if (result)
            t->commit();
        else
            t->abort();
    } catch (const std::exception& e) {
        // BEGIN, COMMIT or ROLLBACK failed.
        auto err = impl_->error(e, broken);
        if (result) result = fail(std::move(err));
    }
    if (broken) c->mark_broken();
    return result;
}

Result<std::vector<std::string>> PgStore::apply_migrations(const std::vector<Migration>& migrations) {
    // A connection of its own: the session lock lives and dies with it.
    std::unique_ptr<Connection> c;
    try {
        c = std::make_unique<Connection>(impl_->url);
    } catch (const std::exception& e) {
        return fail(impl_->connect_error(e));
    }
    bool ignored = false;
    try {
        pqxx::nontransaction n(c->conn);
        n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (const std::exception& e) {
        return fail(impl_->error(e, ignored));
    }
    try {
        pqxx::work w(c->conn);
        w.exec(kCreateMigrationsTable);
        w.commit();
    } catch (const std::exception& e) {
        return fail(impl_->error(e, ignored));
    }
    std::vector<std::string> applied;
    for (const auto& m : migrations) {
        try {
            pqxx::work w(c->conn);
            if (!w.exec_params(std::string(kMigrationApplied), m.version).empty()) continue;
            w.exec(std::string(m.sql));
            w.exec_params(kRecordMigration, m.version, m.name);
            w.commit();
            applied.push_back(m.name);
        } catch (const std::exception& e) {
            Error err = impl_->error(e, ignored);
            return fail(Error::unavailable("storage.migration_failed", m.name + ": " + err.detail));
        }
    }
    try {
        pqxx::nontransaction n(c->conn);
        n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (const std::exception&) {
        // Closing the connection below releases the lock as well.
    }
    return applied;
}

std::string redact_url(std::string_view url) {
    std::string out(url);
    auto spans = password_spans(url);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->begin, it->end - it->begin, "***");
    return out;
}

std::string scrub_secrets(std::string message, std::string_view url) {
    if (url.empty()) return message;
    replace_all(message, url, redact_url(url));
    for (const auto& s : password_spans(url)) {
        const auto raw = url.substr(s.begin, s.end - s.begin);
        if (raw.empty()) continue;
        replace_all(message, raw, "***");
        replace_all(message, percent_decode(raw), "***");
    }
    return message;
}

}  // namespace sengen::storage::postgres
