// Bulk verification (issue 12): many declarations and their lifecycle events read with a few
// statements, the record of each call, and the key's shared ID counter. IDs go in fixed-width
// `IN (...)` lists (kBatch placeholders, unused ones padded with a value that matches nothing), so
// that each statement is prepared once on both engines whatever the number of IDs.
#include <array>

#include <nlohmann/json.hpp>

#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr std::size_t kBatch = 100;
constexpr std::string_view kNoMatch = "-";

std::string placeholders(int first, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? ", $" : "$") + std::to_string(first + static_cast<int>(i));
    return out;
}

std::string action_list() {
    std::string out;
    for (auto a : history::audit_actions()) out += (out.empty() ? "'" : ", '") + std::string(a) + "'";
    return out;
}

// A statement whose text is built once, on first use (thread-safe).
struct Generated {
    std::string text;
    Statement statement;
    Generated(std::string_view name, std::string t) : text(std::move(t)), statement{name, text} {}
};

const Statement& find_many_statement() {
    static const Generated g{
        "verify_find_many",
        std::string("SELECT ") + kPublicColumns +
            ", id, corporate_number, imported_level, imported_level_since FROM declarations WHERE public_id IN (" +
            placeholders(1, kBatch) + ")"};
    return g.statement;
}

const Statement& events_statement() {
    static const Generated g{
        "verify_events", "SELECT subject, at, action, details FROM audit_events WHERE subject IN (" +
                             placeholders(1, kBatch) + ") AND action IN (" + action_list() + ") ORDER BY subject, id"};
    return g.statement;
}

// The declaration's own past when it was imported (first: the key column is 0), then its events
// in the audit log (indexed lookups of the declaration's public ID, then the log's (subject, id)
// index).
const Statement& public_events_statement() {
    static const Generated g{"verify_public_events",
                             "SELECT 0, 0, declared_at, '', '', imported_level, imported_level_since FROM declarations "
                             "WHERE public_id = $1 AND imported_level IS NOT NULL UNION ALL "
                             "SELECT 1, id, at, action, details, 0, 0 FROM audit_events WHERE subject = "
                             "(SELECT 'declaration:' || id FROM declarations WHERE public_id = $1) AND action IN (" +
                                 action_list() + ") ORDER BY 1, 2"};
    return g.statement;
}

constexpr Statement kRecordCall{"record_verification_call",
                                "INSERT INTO verification_calls (key_id, at, as_of, id_count, ids) "
                                "VALUES ($1, $2, $3, $4, $5)"};
constexpr Statement kCount{"count_rate_limit",
                           "INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES ($1, $2, $4, $3) "
                           "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + $4 "
                           "RETURNING count"};

// A number the details hold as a string or a number ("to_level": "2"); 0 when absent.
int detail_int(const nlohmann::json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end()) return 0;
    if (it->is_number_integer()) return it->get<int>();
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        int n = 0;
        for (char c : s) {
            if (c < '0' || c > '9' || n > 1000) return 0;
            n = n * 10 + (c - '0');
        }
        return n;
    }
    return 0;
}

// The audit row (at, action, details from column `first`) as a recorded lifecycle event; nullopt
// for an action that is not one (never selected) or details that are not an object.
std::optional<history::Recorded> read_recorded(const Row& r, int first) {
    auto action = history::action_from_audit(r.text(first + 1));
    if (!action) return std::nullopt;
    history::Recorded e;
    e.at = r.time(first);
    e.action = *action;
    const auto text = r.text(first + 2);
    const auto details = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (details.is_object()) {
        switch (*action) {
            case history::Action::Applied:
            case history::Action::Imported:
                e.level = detail_int(details, "level");
                break;
            case history::Action::StepUp:
            case history::Action::StepDown:
                e.level = detail_int(details, "to_level");
                break;
            default:
                break;
        }
        if (auto it = details.find("status"); it != details.end() && it->is_string())
            e.status = lifecycle::status_from_string(it->get_ref<const std::string&>());
    }
    return e;
}

}  // namespace

Result<std::vector<VerifiedDeclaration>> SqlVerifications::find_many(std::span<const DeclarationId* const> ids) {
    std::vector<VerifiedDeclaration> out;
    out.reserve(ids.size());
    std::vector<Param> params(kBatch, Param(std::nullopt));
    for (std::size_t from = 0; from < ids.size(); from += kBatch) {
        for (std::size_t i = 0; i < kBatch; ++i)
            params[i] = from + i < ids.size() ? Param(ids[from + i]->digits()) : Param(kNoMatch);
        auto ran = c_.run(
            find_many_statement(), params,
            [&](const Row& r) -> Status {
                auto view = read_public_declaration(r);
                if (!view) return fail(view.error());
                std::optional<history::ImportedAs> imported;
                if (!r.is_null(14)) imported = history::ImportedAs{r.integer(14), r.time(15)};
                out.push_back({r.int64(12), std::move(*view), r.string(13), imported});
                return {};
            },
            Fetch::All);
        if (!ran) return fail(ran.error());
    }
    return out;
}

Status SqlVerifications::events_of(std::span<const std::int64_t> declaration_ids,
                                   const std::function<void(std::int64_t, const history::Recorded&)>& on_event) {
    std::array<std::string, kBatch> subjects;
    std::vector<Param> params(kBatch, Param(std::nullopt));
    constexpr std::string_view kPrefix = "declaration:";
    for (std::size_t from = 0; from < declaration_ids.size(); from += kBatch) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            if (from + i < declaration_ids.size()) {
                subjects[i].assign(kPrefix);
                subjects[i] += std::to_string(declaration_ids[from + i]);
                params[i] = Param(subjects[i]);
            } else {
                params[i] = Param(kNoMatch);
            }
        }
        auto ran = c_.run(
            events_statement(), params,
            [&](const Row& r) -> Status {
                const auto subject = r.text(0);
                std::int64_t id = 0;
                for (char c : subject.substr(kPrefix.size())) id = id * 10 + (c - '0');
                if (auto e = read_recorded(r, 1)) on_event(id, *e);
                return {};
            },
            Fetch::All);
        if (!ran) return fail(ran.error());
    }
    return {};
}

Result<std::vector<history::Recorded>> SqlVerifications::events_of_public(const DeclarationId& public_id) {
    std::vector<history::Recorded> out;
    const Param params[] = {Param(public_id.digits())};
    auto ran = c_.run(
        public_events_statement(), params,
        [&](const Row& r) -> Status {
            if (r.int64(0) == 0) {
                // declared_at, imported_level and imported_level_since.
                auto past = history::imported_events(r.time(2), {r.integer(5), r.time(6)});
                out.insert(out.end(), past.begin(), past.end());
            } else if (auto e = read_recorded(r, 2)) {
                out.push_back(*e);
            }
            return {};
        },
        Fetch::All);
    if (!ran) return fail(ran.error());
    return out;
}

Status SqlVerifications::record_call(const VerificationCall& call) {
    return perform(c_, kRecordCall, {call.key_id, call.at, call.as_of, call.id_count, call.ids});
}

Result<std::int64_t> SqlVerifications::count(const std::string& key, TimePoint window_start, TimePoint expires_at,
                                             std::int64_t amount) {
    auto n = first_int64(c_, kCount, {key, window_start, expires_at, amount});
    if (!n) return fail(n.error());
    return n->value_or(0);
}

}  // namespace sengen::storage
