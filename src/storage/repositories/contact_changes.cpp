// Changes of contact address awaiting proof, and disputes over corporate numbers (tables
// contact_changes, corporate_number_disputes): SQL and row mapping.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kInsertChange{
    "insert_contact_change",
    "INSERT INTO contact_changes (token_hash, declaration_id, new_email, requested_by, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Statement kFindChange{"find_contact_change",
                                "SELECT token_hash, declaration_id, new_email, requested_by, expires_at "
                                "FROM contact_changes WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"};
constexpr Statement kConsumeChange{
    "consume_contact_change",
    "UPDATE contact_changes SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING token_hash, declaration_id, new_email, requested_by, expires_at"};
constexpr Statement kPurgeChanges{"purge_contact_changes",
                                  "DELETE FROM contact_changes WHERE used_at IS NOT NULL OR expires_at <= $1"};

// ON CONFLICT DO NOTHING: a claim disputed twice is a Conflict the caller sees, without a failed
// statement dooming its transaction.
constexpr Statement kOpenDispute{
    "open_dispute",
    "INSERT INTO corporate_number_disputes (corporate_number, claim_id, holder_id, opened_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (claim_id) DO NOTHING RETURNING id"};
#define SENGEN_SELECT_DISPUTE                                                           \
    "SELECT d.id, d.corporate_number, d.claim_id, d.holder_id, d.opened_at, d.status, " \
    "       c.business_name, c.contact_email, h.public_id, h.business_name "            \
    "  FROM corporate_number_disputes d "                                               \
    "  JOIN declarations c ON c.id = d.claim_id "                                       \
    "  JOIN declarations h ON h.id = d.holder_id "
constexpr Statement kListOpenDisputes{"list_open_disputes",
                                      SENGEN_SELECT_DISPUTE " WHERE d.status = 'open' ORDER BY d.id LIMIT $1"};
constexpr Statement kFindDispute{"find_dispute", SENGEN_SELECT_DISPUTE " WHERE d.id = $1"};
constexpr Statement kSettleDispute{"settle_dispute",
                                   "UPDATE corporate_number_disputes SET status = 'settled' "
                                   "WHERE id = $1 AND status = 'open'"};

ContactChange read_change(const Row& r) {
    return ContactChange{r.string(0), r.int64(1), r.string(2), r.string(3), r.time(4)};
}

CorporateNumberDispute read_dispute(const Row& r) {
    CorporateNumberDispute d;
    d.id = r.int64(0);
    d.corporate_number = r.string(1);
    d.claim_id = r.int64(2);
    d.holder_id = r.int64(3);
    d.opened_at = r.time(4);
    d.status = r.string(5);
    d.claim_business_name = r.string(6);
    d.claim_contact_email = r.string(7);
    // The holder is live, so it has an ID; a damaged one is left out rather than shown.
    if (!r.is_null(8)) d.holder_public_id = DeclarationId::from_stored(r.string(8));
    d.holder_business_name = r.string(9);
    return d;
}

}  // namespace

Status SqlContactChanges::create(const ContactChange& c, TimePoint now) {
    return perform(c_, kInsertChange, {c.token_hash, c.declaration_id, c.new_email, c.requested_by, now, c.expires_at});
}

Result<std::optional<ContactChange>> SqlContactChanges::find(const std::string& token_hash, TimePoint now) {
    return first(c_, kFindChange, {token_hash, now}, read_change);
}

Result<std::optional<ContactChange>> SqlContactChanges::consume(const std::string& token_hash, TimePoint now) {
    return first(c_, kConsumeChange, {token_hash, now}, read_change);
}

Result<std::size_t> SqlContactChanges::purge(TimePoint now) { return execute(c_, kPurgeChanges, {now}); }

Result<std::int64_t> SqlDisputes::open(const CorporateNumberDispute& d) {
    auto id = first_int64(c_, kOpenDispute, {d.corporate_number, d.claim_id, d.holder_id, d.opened_at});
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::conflict("dispute.exists", "the claim already has a dispute"));
    return **id;
}

Result<std::vector<CorporateNumberDispute>> SqlDisputes::list_open(std::size_t limit) {
    return all(c_, kListOpenDisputes, {static_cast<std::int64_t>(limit)}, read_dispute);
}

Result<std::optional<CorporateNumberDispute>> SqlDisputes::find(std::int64_t id) {
    return first(c_, kFindDispute, {id}, read_dispute);
}

Status SqlDisputes::settle(std::int64_t id) {
    auto changed = execute(c_, kSettleDispute, {id});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::conflict("dispute.not_open"));
    return {};
}

}  // namespace sengen::storage
