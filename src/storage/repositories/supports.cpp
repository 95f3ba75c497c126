// Supporters (tables support_invitations, supports; ADR 42): SQL and row mapping.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_INVITATION_COLUMNS "id, declaration_id, email, rights, invited_by, token_hash, created_at, expires_at"
#define SENGEN_SUPPORT_COLUMNS "s.id, s.declaration_id, s.account_id, a.email, s.rights, s.started_at, s.ended_at"

constexpr Statement kInvite{
    "invite_supporter",
    "INSERT INTO support_invitations (declaration_id, email, rights, invited_by, token_hash, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};
constexpr Statement kFindInvitation{"find_support_invitation",
                                    "SELECT " SENGEN_INVITATION_COLUMNS
                                    " FROM support_invitations "
                                    "WHERE token_hash = $1 AND state = 'pending' AND expires_at > $2"};
// The UPDATE's WHERE is what makes a link work once, on every engine and node.
constexpr Statement kAcceptInvitation{
    "accept_support_invitation",
    "UPDATE support_invitations SET state = 'accepted', closed_at = $2 "
    "WHERE token_hash = $1 AND state = 'pending' AND expires_at > $2 RETURNING " SENGEN_INVITATION_COLUMNS};
constexpr Statement kCancelInvitation{"cancel_support_invitation",
                                      "UPDATE support_invitations SET state = 'cancelled', closed_at = $3 "
                                      "WHERE id = $1 AND declaration_id = $2 AND state = 'pending'"};
constexpr Statement kPendingInvitations{"pending_support_invitations",
                                        "SELECT " SENGEN_INVITATION_COLUMNS
                                        " FROM support_invitations "
                                        "WHERE declaration_id = $1 AND state = 'pending' AND expires_at > $2 "
                                        "ORDER BY id"};
// A second invitation accepted by the same account replaces the rights of its live support rather
// than starting another one (the partial unique index allows one live support per account).
constexpr Statement kStart{"start_support",
                           "INSERT INTO supports (declaration_id, account_id, rights, started_at) "
                           "VALUES ($1, $2, $3, $4) "
                           "ON CONFLICT (declaration_id, account_id) WHERE ended_at IS NULL "
                           "DO UPDATE SET rights = excluded.rights RETURNING id"};
constexpr Statement kLive{"live_support", "SELECT " SENGEN_SUPPORT_COLUMNS
                                          " FROM supports s JOIN accounts a ON a.id = s.account_id "
                                          "WHERE s.declaration_id = $1 AND s.account_id = $2 AND s.ended_at IS NULL"};
constexpr Statement kOfDeclaration{"supports_of_declaration", "SELECT " SENGEN_SUPPORT_COLUMNS
                                                              " FROM supports s JOIN accounts a ON a.id = s.account_id "
                                                              "WHERE s.declaration_id = $1 ORDER BY s.id"};
constexpr Statement kLiveOfAccount{"live_supports_of_account",
                                   "SELECT " SENGEN_SUPPORT_COLUMNS
                                   " FROM supports s JOIN accounts a ON a.id = s.account_id "
                                   "WHERE s.account_id = $1 AND s.ended_at IS NULL ORDER BY s.id"};
constexpr Statement kEnd{
    "end_support", "UPDATE supports SET ended_at = $3 WHERE id = $1 AND declaration_id = $2 AND ended_at IS NULL"};

constexpr Statement kNoteApplication{"note_supported_application",
                                     "INSERT INTO supported_applications (declaration_id, account_id, created_at) "
                                     "VALUES ($1, $2, $3)"};
constexpr Statement kTakeApplication{
    "take_supported_application", "DELETE FROM supported_applications WHERE declaration_id = $1 RETURNING account_id"};

Result<support::Rights> read_rights(std::string_view text) {
    auto rights = support::rights_from_string(text);
    if (!rights) return fail(corrupt("unknown support rights: " + std::string(text)));
    return *rights;
}

Result<SupportInvitation> read_invitation(const Row& r) {
    auto rights = read_rights(r.text(3));
    if (!rights) return fail(rights.error());
    return SupportInvitation{r.int64(0), r.int64(1),  r.string(2), *rights,
                             r.int64(4), r.string(5), r.time(6),   r.time(7)};
}

Result<Support> read_support(const Row& r) {
    auto rights = read_rights(r.text(4));
    if (!rights) return fail(rights.error());
    Support s{r.int64(0), r.int64(1), r.int64(2), r.string(3), *rights, r.time(5), std::nullopt};
    if (!r.is_null(6)) s.ended_at = r.time(6);
    return s;
}

}  // namespace

Result<std::int64_t> SqlSupports::invite(const SupportInvitation& i) {
    const auto rights = support::to_string(i.rights);
    auto id = first_int64(c_, kInvite,
                          {i.declaration_id, i.email, rights, i.invited_by, i.token_hash, i.created_at, i.expires_at});
    if (!id) return fail(id.error());
    if (!*id) return fail(corrupt("support invitation not stored"));
    return **id;
}

Result<std::optional<SupportInvitation>> SqlSupports::find_invitation(const std::string& token_hash, TimePoint now) {
    return first(c_, kFindInvitation, {token_hash, now}, read_invitation);
}

Result<std::optional<SupportInvitation>> SqlSupports::accept_invitation(const std::string& token_hash, TimePoint now) {
    return first(c_, kAcceptInvitation, {token_hash, now}, read_invitation);
}

Result<bool> SqlSupports::cancel_invitation(std::int64_t id, std::int64_t declaration_id, TimePoint now) {
    auto n = execute(c_, kCancelInvitation, {id, declaration_id, now});
    if (!n) return fail(n.error());
    return *n > 0;
}

Result<std::vector<SupportInvitation>> SqlSupports::pending_invitations(std::int64_t declaration_id, TimePoint now) {
    return all(c_, kPendingInvitations, {declaration_id, now}, read_invitation);
}

Result<std::int64_t> SqlSupports::start(std::int64_t declaration_id, std::int64_t account_id, support::Rights rights,
                                        TimePoint now) {
    const auto text = support::to_string(rights);
    auto id = first_int64(c_, kStart, {declaration_id, account_id, text, now});
    if (!id) return fail(id.error());
    if (!*id) return fail(corrupt("support not stored"));
    return **id;
}

Result<std::optional<Support>> SqlSupports::live(std::int64_t declaration_id, std::int64_t account_id) {
    return first(c_, kLive, {declaration_id, account_id}, read_support);
}

Result<std::vector<Support>> SqlSupports::of_declaration(std::int64_t declaration_id) {
    return all(c_, kOfDeclaration, {declaration_id}, read_support);
}

Result<std::vector<Support>> SqlSupports::live_of_account(std::int64_t account_id) {
    return all(c_, kLiveOfAccount, {account_id}, read_support);
}

Result<bool> SqlSupports::end(std::int64_t id, std::int64_t declaration_id, TimePoint now) {
    auto n = execute(c_, kEnd, {id, declaration_id, now});
    if (!n) return fail(n.error());
    return *n > 0;
}

Status SqlSupports::note_application(std::int64_t declaration_id, std::int64_t account_id, TimePoint now) {
    return perform(c_, kNoteApplication, {declaration_id, account_id, now});
}

Result<std::optional<std::int64_t>> SqlSupports::take_application(std::int64_t declaration_id) {
    return first_int64(c_, kTakeApplication, {declaration_id});
}

}  // namespace sengen::storage
