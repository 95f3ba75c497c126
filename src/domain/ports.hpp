// Ports: what the core needs from the outside world. Adapters in storage/ and mail/ implement
// them; only main chooses which.
//
// Storage works in transactions: `Store::transact` runs a function with a Transaction whose
// repositories all share one database transaction, so a change and the mail or audit event it
// causes commit together or not at all.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/assessment/answer.hpp"
#include "domain/declaration.hpp"
#include "domain/declaration_history.hpp"
#include "domain/error.hpp"
#include "domain/operator.hpp"
#include "domain/policy/draft.hpp"
#include "domain/policy/lifecycle.hpp"
#include "domain/session.hpp"
#include "domain/support.hpp"

namespace sengen {

class SessionRepository {
public:
    virtual ~SessionRepository() = default;
    // Conflict when a session with this id_hash exists (the existing one is kept).
    virtual Status create(const Session& s) = 0;
    // The live session with this hash, or nullopt when absent or expired at `now`.
    virtual Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) = 0;
    // Slides the expiry and notes when the session was last used.
    virtual Status extend(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) = 0;
    virtual Status save_data(const std::string& id_hash, const std::string& data) = 0;
    virtual Status remove(const std::string& id_hash) = 0;
    // Removes every session signed in to the account (signing out everywhere); how many.
    virtual Result<std::size_t> remove_all_of(std::int64_t account_id) = 0;
    // The account's sessions live at `now`, the most recently started first (without their data).
    virtual Result<std::vector<Session>> list_of(std::int64_t account_id, TimePoint now) = 0;
    virtual Result<std::size_t> purge_expired(TimePoint now) = 0;
};

// A mail waiting to be sent: the complete RFC 5322 message, built when it was queued.
struct OutgoingMail {
    std::string recipient;  // envelope recipient (one address)
    std::string subject;    // for operators' listings (decoded text)
    std::string message;    // headers and body, CRLF line ends
    std::string kind = {};  // the catalogue's mail kind ("mail.revoked"), for operators' listings
};

struct OutboxEntry {
    enum class State { Pending, Sending, Sent, Failed };
    std::int64_t id = 0;
    std::string recipient;
    std::string subject;
    std::string message;
    State state = State::Pending;
    int attempts = 0;
    TimePoint created_at;
    TimePoint next_attempt_at;
    std::optional<TimePoint> sent_at;
    std::string last_error;
    std::string kind;  // "" for mail queued before kinds were kept
};

std::string_view to_string(OutboxEntry::State s);

class OutboxRepository {
public:
    virtual ~OutboxRepository() = default;
    virtual Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) = 0;
    // Takes up to `limit` mails that are due (pending with next_attempt_at <= now, or sending
    // with an expired lease) and marks them sending, leased to `worker` until now + lease. No
    // mail is leased to two workers at once, on any engine, from any node.
    virtual Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                                       const std::string& worker) = 0;
    // The outcome of one attempt by the worker holding the lease (ignored if it lost the lease).
    virtual Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) = 0;
    virtual Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                              const std::string& error) = 0;
    virtual Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) = 0;
    // Newest first; all states when `state` is empty.
    virtual Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) = 0;
    // An operator's retry of a failed mail: pending again, due now, attempts reset. NotFound if
    // there is no failed mail with that id.
    virtual Status retry(std::int64_t id, TimePoint now) = 0;
};

// Who did what to what, when and from where. Every lifecycle event and operator action.
struct AuditEvent {
    std::int64_t id = 0;
    TimePoint at;
    std::string actor;    // "anonymous", "account:12", "operator:3", "system"
    std::string action;   // "declaration.issued", "session.started", ...
    std::string subject;  // "declaration:10000000018", "" when none
    std::string ip;       // "" when not from a request
    std::string details;  // JSON object text
};

class AuditRepository {
public:
    virtual ~AuditRepository() = default;
    virtual Result<std::int64_t> record(const AuditEvent& e) = 0;
    // Records every event of `events`, in order, many a statement (bulk writes).
    virtual Status record_all(std::span<const AuditEvent> events) = 0;
    // Oldest first.
    virtual Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) = 0;
    // One page of an export: events with from <= at < until and id > after_id, in id order, at
    // most `limit`. The caller pages by passing the last id it got.
    virtual Result<std::vector<AuditEvent>> between(TimePoint from, TimePoint until, std::int64_t after_id,
                                                    std::size_t limit) = 0;
};

// Fixed-window counters shared by every node.
class RateLimitRepository {
public:
    virtual ~RateLimitRepository() = default;
    // Adds one to the counter of `key` in the window starting at `window_start` and returns the
    // new count. Atomic across nodes.
    virtual Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) = 0;
    // The counter of `key` in the window starting at `window_start`; 0 when it has none.
    virtual Result<std::int64_t> count(const std::string& key, TimePoint window_start) = 0;
    virtual Result<std::size_t> purge_windows(TimePoint now) = 0;
};

// Declarations, from application to the end of their life.
class DeclarationRepository {
public:
    virtual ~DeclarationRepository() = default;
    // Stores a new application (status awaiting_confirmation) and returns its internal id.
    virtual Result<std::int64_t> create(const Declaration& d) = 0;
    virtual Result<std::optional<Declaration>> find(std::int64_t id) = 0;
    virtual Result<std::optional<Declaration>> find_by_public_id(const DeclarationId& public_id) = 0;
    // What anyone may see of the declaration with this ID (public_view of it), read with one
    // statement of the public columns only: the lookup the API and /verify serve.
    virtual Result<std::optional<PublicDeclaration>> find_public(const DeclarationId& public_id) = 0;
    virtual Result<std::optional<Declaration>> find_by_confirm_token(const std::string& token_hash) = 0;
    // Whether another declaration (not `except_id`) with this corporate number is live.
    virtual Result<bool> live_exists_for_corporate_number(const std::string& corporate_number,
                                                          std::int64_t except_id) = 0;
    // The internal id of the live declaration (not `except_id`) with this corporate number, if any.
    virtual Result<std::optional<std::int64_t>> live_holder_of_corporate_number(const std::string& corporate_number,
                                                                                std::int64_t except_id) = 0;
    // Deletes the applications still awaiting confirmation whose link expired at or before
    // `expired_before`; returns how many.
    virtual Result<std::size_t> purge_expired_applications(TimePoint expired_before) = 0;
    // A fresh serial for a declaration ID: unique, on every node, and never handed out again once
    // the transaction that took it commits. PostgreSQL also skips the serial of a transaction that
    // rolls back; SQLite may hand that one out again (nobody outside the transaction saw it).
    virtual Result<std::int64_t> next_serial(TimePoint now) = 0;
    // Writes the lifecycle fields (state, public_id, dates, reason, account) of `d` if its
    // stored state still equals `expected`; Conflict when another request changed it first.
    virtual Status save_state(const Declaration& d, const lifecycle::State& expected) = 0;
    // Writes the details and keeps each change in the history.
    virtual Status save_details(std::int64_t id, const Application& details, const std::vector<DetailChange>& changes,
                                const std::string& actor, TimePoint now) = 0;
    // Keeps changes in the history without touching the details: what a supporter prepared for
    // the business (a self-assessment, the policy draft; ADR 48).
    virtual Status note_changes(std::int64_t id, const std::vector<DetailChange>& changes, const std::string& actor,
                                TimePoint now) = 0;
    virtual Status set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) = 0;
    virtual Result<std::vector<Declaration>> for_account(std::int64_t account_id) = 0;
    // Oldest first: e.g. the applications awaiting the operator's review.
    virtual Result<std::vector<Declaration>> with_status(lifecycle::Status status, std::size_t limit) = 0;
    // Every declaration, whatever its status, in id order: the page after `after_id`, at most
    // `limit` (the operator's export reads them all page by page).
    virtual Result<std::vector<Declaration>> page_after(std::int64_t after_id, std::size_t limit) = 0;
    virtual Result<std::vector<DetailChange>> history(std::int64_t id, std::size_t limit) = 0;
    struct SearchQuery {
        std::string name_key;    // search_key() of the typed name or reading; "" for any
        std::string prefecture;  // "" for any
        int level = 0;           // 0 for any
        std::size_t offset = 0, limit = 20;
    };
    // Declared, stopped and revoked declarations matching the query (public fields), newest
    // first, and the total number of matches.
    virtual Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> search(const SearchQuery& q) = 0;
    // How many, never who: the public statistics. Declarations in force (declared) by level,
    // prefecture code and industry code; and those ever issued (declared, stopped, revoked) since
    // `issued_since`, by day in Japan counted as days since 1970-01-01 JST. Each list ordered by key.
    struct Counts {
        std::vector<std::pair<std::int64_t, std::int64_t>> by_level;
        std::vector<std::pair<std::string, std::int64_t>> by_prefecture;
        std::vector<std::pair<std::string, std::int64_t>> by_industry;
        std::vector<std::pair<std::int64_t, std::int64_t>> issued_by_day;
    };
    virtual Result<Counts> counts(TimePoint issued_since) = 0;
};

class AccountRepository {
public:
    virtual ~AccountRepository() = default;
    // The account of this address, created if it does not exist yet.
    virtual Result<Account> find_or_create(const std::string& email, Lang lang, TimePoint now) = 0;
    virtual Result<std::optional<Account>> find(std::int64_t id) = 0;
    virtual Result<std::optional<Account>> find_by_email(const std::string& email) = 0;
    // The account's code from an authenticator app (ADR 0061); all empty for an unknown account.
    virtual Result<AccountSecondFactor> second_factor(std::int64_t id) = 0;
    // Gives an account without a code the secret its set-up page shows, unless one is pending already.
    virtual Status set_totp_pending(std::int64_t id, const std::string& secret) = 0;
    // Makes the pending secret the account's code, `step` its last accepted one; NotFound
    // "account.totp_not_pending" when nothing is pending.
    virtual Status confirm_totp(std::int64_t id, std::int64_t step) = 0;
    // Records `step` as the last accepted one if it is later than the stored one; false when it is
    // not (the code was used already).
    virtual Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) = 0;
    // Forgets the account's code, confirmed or pending; false when it had none.
    virtual Result<bool> clear_totp(std::int64_t id) = 0;
};

class SignInTokenRepository {
public:
    virtual ~SignInTokenRepository() = default;
    virtual Status create(const SignInToken& t, TimePoint now) = 0;
    // Marks the token used and returns it, if it exists, is unused and has not expired. A token
    // is consumed once, whatever the number of concurrent requests.
    virtual Result<std::optional<SignInToken>> consume(const std::string& token_hash, TimePoint now) = 0;
    // Deletes the tokens used, or expired at `now`; returns how many.
    virtual Result<std::size_t> purge(TimePoint now) = 0;
};

// Changes of contact address waiting for the new address to follow its link.
class ContactChangeRepository {
public:
    virtual ~ContactChangeRepository() = default;
    virtual Status create(const ContactChange& c, TimePoint now) = 0;
    // The change with this hash if it is unused and unexpired at `now`, without using it.
    virtual Result<std::optional<ContactChange>> find(const std::string& token_hash, TimePoint now) = 0;
    // Marks the change used and returns it, if it is unused and unexpired; once, whatever the
    // number of concurrent requests.
    virtual Result<std::optional<ContactChange>> consume(const std::string& token_hash, TimePoint now) = 0;
    // Deletes the changes used, or expired at `now`; returns how many.
    virtual Result<std::size_t> purge(TimePoint now) = 0;
};

// Claims to a corporate number that already has a live declaration, for the operator.
class DisputeRepository {
public:
    virtual ~DisputeRepository() = default;
    // Records an open dispute and returns its id; Conflict when the claim already has one.
    virtual Result<std::int64_t> open(const CorporateNumberDispute& d) = 0;
    // The open disputes, oldest first, with the claim's and the holder's names.
    virtual Result<std::vector<CorporateNumberDispute>> list_open(std::size_t limit) = 0;
    // One dispute, open or settled, with the same names; nullopt when there is none.
    virtual Result<std::optional<CorporateNumberDispute>> find(std::int64_t id) = 0;
    // Marks an open dispute settled; Conflict "dispute.not_open" when it is not open (any more).
    virtual Status settle(std::int64_t id) = 0;
};

// --- Operators and the console (issue 12) ---

// Operator accounts, their recovery codes and their sessions.
class OperatorRepository {
public:
    virtual ~OperatorRepository() = default;
    // A new account awaiting its set-up link; Conflict "operator.exists" when the address has one.
    virtual Result<std::int64_t> create(const std::string& email, OperatorRole role,
                                        const std::string& setup_token_hash, TimePoint setup_expires_at,
                                        TimePoint now) = 0;
    virtual Result<std::optional<OperatorAccount>> find(std::int64_t id) = 0;
    virtual Result<std::optional<OperatorAccount>> find_by_email(const std::string& email) = 0;
    // The account whose unexpired set-up link has this hash.
    virtual Result<std::optional<OperatorAccount>> find_by_setup_token(const std::string& token_hash,
                                                                       TimePoint now) = 0;
    // Sets the password and a pending TOTP secret and uses up the set-up link, if the link is
    // still unused; NotFound otherwise (two tabs cannot both use it).
    virtual Status complete_setup(std::int64_t id, const std::string& token_hash, const std::string& password_hash,
                                  const std::string& totp_pending) = 0;
    // Makes the pending secret the account's second factor, with its recovery codes (hashes).
    virtual Status confirm_totp(std::int64_t id, std::int64_t step, const std::vector<std::string>& code_hashes) = 0;
    // Records `step` as the last accepted TOTP step if it is later than the stored one; false when
    // it is not (the code was used already).
    virtual Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) = 0;
    // Marks an unused recovery code used; false when there is no such unused code.
    virtual Result<bool> use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint now) = 0;
    virtual Result<std::vector<OperatorAccount>> list() = 0;

    virtual Status create_session(const OperatorSession& s) = 0;
    // The live session with this hash, with its operator's role and address; nullopt when absent,
    // expired or the operator is disabled.
    virtual Result<std::optional<OperatorSession>> find_session(const std::string& id_hash, TimePoint now) = 0;
    // Slides the expiry and notes when the session was last used.
    virtual Status extend_session(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) = 0;
    virtual Status remove_session(const std::string& id_hash) = 0;
    // The operator's fully signed-in sessions live at `now`, the most recently started first.
    virtual Result<std::vector<OperatorSession>> list_sessions(std::int64_t id, TimePoint now) = 0;
    // Removes every session of the operator but the one with `keep` (none: all of them); how many.
    virtual Result<std::size_t> remove_sessions_of(std::int64_t id, const std::optional<std::string>& keep) = 0;
    // Replaces the password hash of a set-up account; NotFound "operator.not_found" when none.
    virtual Status set_password(std::int64_t id, const std::string& password_hash) = 0;
};

// Read-only views over the registry for the console: counts, finding a declaration, the audit log.
struct DeclarationCount {
    std::string status;
    int level = 0;
    std::int64_t count = 0;
};
struct AuditQuery {
    std::string actor, action, subject;    // exact match; "" for any
    std::optional<TimePoint> from, until;  // [from, until)
    std::size_t offset = 0, limit = 50;
};
class ConsoleRepository {
public:
    virtual ~ConsoleRepository() = default;
    virtual Result<std::vector<DeclarationCount>> counts_by_level_and_status() = 0;
    // Declarations created at or after `since`.
    virtual Result<std::int64_t> created_since(TimePoint since) = 0;
    virtual Result<std::int64_t> failed_mail() = 0;
    // Internal ids of the declarations whose name or reading holds `name_key` (a search_key), or
    // whose corporate number or contact address (compared lower-cased) is `exact`; newest first.
    virtual Result<std::vector<std::int64_t>> find_declarations(const std::string& name_key, const std::string& exact,
                                                                std::size_t limit) = 0;
    // Newest first; one more than `limit` when there are more, so a page knows it has a next one.
    virtual Result<std::vector<AuditEvent>> audit(const AuditQuery& q) = 0;
    // How many declarations (applications included) agreed to each version of the terms.
    virtual Result<std::vector<std::pair<std::string, std::int64_t>>> agreements_by_terms() = 0;
    // When each verifier key was last used for a bulk verification (keys never used are absent).
    virtual Result<std::vector<std::pair<std::int64_t, TimePoint>>> verifier_keys_last_used() = 0;
};

// Queues a mail, built from the message catalogue, in the caller's transaction.
struct MailRequest {
    std::string template_id;  // e.g. "mail.signin": the catalogue has "<id>.subject" and "<id>.body"
    Lang lang = Lang::Ja;
    std::string to;
    std::vector<std::pair<std::string, std::string>> values;  // {name} placeholders
    // {name} placeholders filled with a list of catalogue messages (their ids), each read in the
    // mail's language and joined as that language writes a list: the reader sees words, not codes.
    std::vector<std::pair<std::string, std::vector<std::string>>> lists;
    // {name} placeholders filled with lines, each a catalogue message with values of its own, read
    // in the mail's language; an empty message id is a blank line.
    struct Line {
        std::string message_id;
        std::vector<std::pair<std::string, std::string>> values = {};
    };
    std::vector<std::pair<std::string, std::vector<Line>>> lines = {};
    // Where the recipient stops mail of this kind without signing in; when set, the mail carries
    // List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058) with it.
    std::string unsubscribe_url = {};
};

class Transaction;

class MailQueue {
public:
    virtual ~MailQueue() = default;
    virtual Status queue(Transaction& tx, const MailRequest& m) = 0;
};

// Self-assessments saved by signed-in accounts, each with the questionnaire edition it answered.
struct SavedAssessment {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string edition;
    assessment::Answers answers;
    int score = 0;
    TimePoint taken_at;
};

class AssessmentRepository {
public:
    virtual ~AssessmentRepository() = default;
    // Stores one result and returns its id.
    virtual Result<std::int64_t> save(std::int64_t account_id, const std::string& edition,
                                      const assessment::Answers& answers, int score, TimePoint taken_at) = 0;
    // The account's results, newest first.
    virtual Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) = 0;
    // One result, only if it belongs to the account (nullopt otherwise, so that ids of other
    // accounts cannot be probed).
    virtual Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) = 0;
};

// Basic security policies (情報セキュリティ基本方針) written by signed-in accounts: a private
// draft, and the versions published from it, numbered 1, 2, ... A version never changes once
// written; publishing again adds the next one.
struct SavedPolicy {
    using Status = policy::Publication;  // the state machine is in domain/policy/lifecycle.hpp
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string slug;  // the stable public address: /policy/<slug>
    std::string template_edition;
    policy::Draft draft;
    Status status = Status::Draft;  // Draft until first published; Unpublished after being taken down
    int versions = 0;               // how many versions have been published
    TimePoint created_at;
    TimePoint updated_at;
};

struct PolicyVersion {
    std::int64_t policy_id = 0;
    int number = 0;
    TimePoint published_at;
    policy::Document document;
};

// A line of a policy's list of versions: what the public page lists, without the document.
struct PolicyVersionEntry {
    int number = 0;
    TimePoint published_at;
};

class PolicyRepository {
public:
    virtual ~PolicyRepository() = default;
    // Stores a new draft and returns its id; Conflict when the slug is taken (nothing stored).
    virtual Result<std::int64_t> create(std::int64_t account_id, const std::string& slug,
                                        const std::string& template_edition, const policy::Draft& draft,
                                        TimePoint now) = 0;
    // One policy, only if it belongs to the account (nullopt otherwise).
    virtual Result<std::optional<SavedPolicy>> get(std::int64_t account_id, std::int64_t id) = 0;
    virtual Result<std::optional<SavedPolicy>> find_by_slug(const std::string& slug) = 0;
    // The account's policies, newest first.
    virtual Result<std::vector<SavedPolicy>> for_account(std::int64_t account_id) = 0;
    // Replaces the draft. NotFound when the account has no such policy.
    virtual Status save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) = 0;
    // Holds the policy until the transaction ends, waiting while another transaction (of any node)
    // holds it; what this transaction reads of the policy afterwards includes every publication
    // committed before. A publisher takes it before checking the draft against the version that is
    // up. NotFound when the account has no such policy.
    virtual Status lock(std::int64_t account_id, std::int64_t id) = 0;
    // Writes the next version (1 for the first) and marks the policy published. Two publications
    // at once, from any nodes, get different numbers. NotFound when the account has no such policy.
    virtual Result<PolicyVersion> publish(std::int64_t account_id, std::int64_t id, const policy::Document& document,
                                          TimePoint now) = 0;
    // Takes a published policy down (its versions stay, unchanged). NotFound when the account has
    // no such published policy.
    virtual Status unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) = 0;
    // One page of a policy's list of versions, newest first: those numbered `at_most` and below,
    // at most `limit` of them. Versions are numbered 1, 2, ... without gaps, so the page starting
    // at any number is one index range, however many versions there are.
    virtual Result<std::vector<PolicyVersionEntry>> version_list(std::int64_t policy_id, int at_most, int limit) = 0;
    // One version, with its document.
    virtual Result<std::optional<PolicyVersion>> version(std::int64_t policy_id, int number) = 0;
};

// The status as stored (policy::to_string writes it).
std::optional<SavedPolicy::Status> parse_policy_status(std::string_view s);

// --- Verifiers (issue 12): keys for the bulk verification API, and the lookups it makes -------

// A verifier's API key. Only the hash of the key is stored; the key itself is shown once.
struct VerifierKey {
    std::int64_t id = 0;
    std::string name;        // unique, e.g. the subsidy secretariat's name
    std::string key_hash;    // token_hash (app/tokens.hpp) of the key
    int ids_per_minute = 0;  // the key's rate limit, in IDs checked per minute
    TimePoint created_at;
    std::optional<TimePoint> revoked_at;
};

class VerifierKeyRepository {
public:
    virtual ~VerifierKeyRepository() = default;
    // Stores a new key and returns its id; Conflict when the name or the hash is taken.
    virtual Result<std::int64_t> create(const VerifierKey& k) = 0;
    virtual Result<std::optional<VerifierKey>> find_by_hash(const std::string& key_hash) = 0;
    virtual Result<std::optional<VerifierKey>> find(std::int64_t id) = 0;
    virtual Result<std::optional<VerifierKey>> find_by_name(const std::string& name) = 0;
    // Oldest first.
    virtual Result<std::vector<VerifierKey>> list() = 0;
    // Marks the key revoked at `now`; NotFound when no unrevoked key has this id.
    virtual Status revoke(std::int64_t id, TimePoint now) = 0;
};

// One declaration as a bulk verification reads it: the public view, the internal id (the audit
// log's subject) and the corporate number (compared, never returned).
struct VerifiedDeclaration {
    std::int64_t id = 0;
    PublicDeclaration view;
    std::string corporate_number;
    std::optional<history::ImportedAs> imported;  // the past an imported row keeps (ADR 0064)
};

// One bulk verification, as recorded: which key checked which IDs, when.
struct VerificationCall {
    std::int64_t key_id = 0;
    TimePoint at;
    std::string as_of;  // the `at` date asked for, "" for now
    int id_count = 0;
    std::string ids;  // the IDs as checked, comma-separated (an unreadable item as "")
};

class VerificationRepository {
public:
    virtual ~VerificationRepository() = default;
    // The issued declarations with these IDs, in any order (absent IDs are left out), read with a
    // few statements whatever the number of IDs.
    virtual Result<std::vector<VerifiedDeclaration>> find_many(std::span<const DeclarationId* const> ids) = 0;
    // The public lifecycle events (history::audit_actions) of these declarations (internal ids),
    // oldest first within each; `on_event` gets the declaration's internal id and the event. These
    // are the audit log's alone: an imported declaration's start comes with find_many
    // (VerifiedDeclaration::imported), which reads its row anyway.
    virtual Status events_of(std::span<const std::int64_t> declaration_ids,
                             const std::function<void(std::int64_t, const history::Recorded&)>& on_event) = 0;
    // The public lifecycle events of the declaration with this public ID, oldest first, an imported
    // one's start first (history::imported_events), in one statement (the history section of /verify).
    virtual Result<std::vector<history::Recorded>> events_of_public(const DeclarationId& public_id) = 0;
    virtual Status record_call(const VerificationCall& call) = 0;
    // Adds `amount` to the shared counter of `key` in the window starting at `window_start` and
    // returns the new count (as RateLimitRepository::hit, but by more than one).
    virtual Result<std::int64_t> count(const std::string& key, TimePoint window_start, TimePoint expires_at,
                                       std::int64_t amount) = 0;
};

// --- Import (issue 12, point 9): declarations moved in from another registry ----------------------

// How a declaration came in by `sengen import` (ADR 0064): by whom (the import's audit actor), and
// the past its row keeps (replayed from its declared_at).
struct ImportOrigin {
    std::string actor;  // of the import's `declarations.import` audit event; "import" if none is found
    history::ImportedAs as;
};

// The writes and checks of `sengen import`, in the one write transaction of the whole file.
class ImportRepository {
public:
    virtual ~ImportRepository() = default;
    // Every declaration ID stored here from `lowest` to `highest` (11-digit strings compare as
    // numbers), whatever its status, handed to `each`: one range scan instead of a probe per row.
    virtual Status ids_between(const std::string& lowest, const std::string& highest,
                               const std::function<void(std::string_view)>& each) = 0;
    // The corporate number of every live declaration (lifecycle::is_live), handed to `each`.
    virtual Status live_corporate_numbers(const std::function<void(std::string_view)>& each) = 0;
    // Stores each of `ds` as it stands (status, level, ID, dates, details, account) and sets its
    // internal id, many rows a statement (the one bulk write of `sengen import` and `sengen seed`).
    // Each must have its public ID. Conflict when an ID or a live corporate number is taken after
    // all; the transaction is then doomed, so nothing of it stays. `record_salts`: each one's
    // transparency log record salt (ADR 46) stored with it, so that logging it needs no second
    // write of the row (ADR 57), or empty for none yet. `imported_at`: the time of an import,
    // which marks each row imported and keeps its present level and level date as the past its
    // history replays (ADR 0064); nullopt for rows made here (`sengen seed`).
    virtual Status insert_all(std::span<Declaration> ds, std::span<const std::string> record_salts,
                              std::optional<TimePoint> imported_at) = 0;
    // How the declaration with this internal id was imported; nullopt when it was not (or was
    // imported before ADR 0064, when its audit events kept its past instead).
    virtual Result<std::optional<ImportOrigin>> origin_of(std::int64_t declaration_id) = 0;
    // Sets the account_id of each of `ds` to the account of its contact address, made (in the
    // declaration's language) where there is none yet: the account a declarant signs in with.
    // Addresses that differ only as email_key folds them share one account.
    virtual Status attach_accounts(std::span<Declaration> ds, TimePoint now) = 0;
    // Draws one new serial for each of `issued_at` (as DeclarationRepository::next_serial does one
    // by one), ascending.
    virtual Result<std::vector<std::int64_t>> draw_serials(std::span<const TimePoint> issued_at) = 0;
    // Marks the serials of the IDs of this registry's own scheme as used, so that no ID issued
    // later repeats one: first moves the counter that issuing draws from past the largest (at
    // once, for every node), then records each serial. Conflict when one was used already (also
    // when another node issued it in the instant before the counter moved).
    virtual Status reserve_serials(std::span<const std::int64_t> serials, TimePoint at) = 0;
};

// --- Verifier accounts (issue 12, ADR 0037): the bulk verification page's sign-in ------------

// An account a key's holder made; bound to one key, whose limit its uploads count against. Read
// with the key's name and whether it is revoked, so that a revocation applies at once.
struct VerifierAccount {
    std::int64_t id = 0;
    std::int64_t key_id = 0;
    std::string email;
    std::string password_hash;  // libsodium's Argon2id string
    TimePoint created_at;
    std::string key_name;
    bool key_revoked = false;
    std::optional<TimePoint> disabled_at;        // by an operator: no sign-in, no session
    std::optional<TimePoint> last_signed_in_at;  // none for accounts made before it was recorded
    // The second factor, as OperatorAccount's (ADR 0056): "" until a code confirms the set-up.
    std::string totp_secret;
    std::string totp_pending;  // shown on the set-up page until a code confirms it
    std::int64_t totp_last_step = 0;
};

struct VerifierSession {
    std::string id_hash;
    std::int64_t account_id = 0;
    TimePoint created_at;
    TimePoint expires_at;
    // Read with the session from the account and its key.
    std::string email;
    std::int64_t key_id = 0;
    std::string key_name;
    bool key_revoked = false;
    // How far the sign-in has got (ADR 0056): only Full opens the verifier's pages.
    SignInStage stage = SignInStage::Full;
};

// One uploaded file with its results, kept until `expires_at` for the result page and downloads.
struct VerifierUpload {
    // Random, in the result page's address. Kept as it is, not hashed like a token: it opens nothing
    // without its own account's session (found by ref and account together), and whoever could read
    // it here could read the results it names in `content` beside it.
    std::string ref;
    std::int64_t account_id = 0;
    TimePoint created_at;
    TimePoint expires_at;
    std::string content;  // the rows and their results (app/verifier_uploads.cpp writes and reads it)
};

// A request to make a verifier account, waiting until its address is proved by the mailed link
// (ADR 49): the key presented, the address and the password's hash. Only the token's hash is kept.
struct VerifierRegistration {
    std::string token_hash;
    std::int64_t key_id = 0;
    std::string email;
    std::string password_hash;
    TimePoint created_at;
    TimePoint expires_at;
};

class VerifierAccountRepository {
public:
    virtual ~VerifierAccountRepository() = default;
    // Stores a new account and returns its id; Conflict "verifier_account.exists" when the
    // address has one.
    virtual Result<std::int64_t> create(const VerifierAccount& a) = 0;
    virtual Result<std::optional<VerifierAccount>> find_by_email(const std::string& email) = 0;
    virtual Result<std::optional<VerifierAccount>> find_by_id(std::int64_t id) = 0;
    // Every account (of one key when `key_id` is given), by key and address.
    virtual Result<std::vector<VerifierAccount>> list(std::optional<std::int64_t> key_id) = 0;
    // Marks the account disabled at `at` and deletes its sessions; NotFound
    // "verifier_account.not_found" when there is no such account or it is disabled already.
    virtual Status disable(std::int64_t id, TimePoint at) = 0;
    // Stores a new session and, for a Full one, notes the account's last sign-in.
    virtual Status create_session(const VerifierSession& s) = 0;
    // Gives an account without a second factor the secret its set-up page shows, unless it has
    // one pending already.
    virtual Status set_totp_pending(std::int64_t id, const std::string& secret) = 0;
    // Makes the pending secret the account's second factor, `step` its last accepted code;
    // NotFound "verifier_account.totp_not_pending" when nothing is pending.
    virtual Status confirm_totp(std::int64_t id, std::int64_t step) = 0;
    // Records `step` as the last accepted step if it is later than the stored one; false when it
    // is not (the code was used already).
    virtual Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) = 0;
    // Forgets the account's second factor (the device that had it was lost; ADR 0056) and deletes
    // its sessions: its next sign-in goes to the set-up page. NotFound "verifier_account.not_found"
    // when there is no such account or it is disabled.
    virtual Status reset_totp(std::int64_t id) = 0;
    // A session unexpired at `now`, with its account and key; none for a disabled account.
    virtual Result<std::optional<VerifierSession>> find_session(const std::string& id_hash, TimePoint now) = 0;
    virtual Status extend_session(const std::string& id_hash, TimePoint expires_at) = 0;
    virtual Status remove_session(const std::string& id_hash) = 0;
    // Removes every session of the account but the one with `keep` (none: all of them); how many.
    virtual Result<std::size_t> remove_sessions_of(std::int64_t account_id, const std::optional<std::string>& keep) = 0;
    // Replaces the account's password hash; NotFound "verifier_account.not_found" when none.
    virtual Status set_password(std::int64_t account_id, const std::string& password_hash) = 0;
    virtual Status save_upload(const VerifierUpload& u) = 0;
    // The account's upload `ref`, unexpired at `now`.
    virtual Result<std::optional<VerifierUpload>> find_upload(const std::string& ref, std::int64_t account_id,
                                                              TimePoint now) = 0;
    virtual Status save_registration(const VerifierRegistration& r) = 0;
    // The registration `token_hash` names, unexpired at `now`, left in place (the page with the
    // button) or taken away so that its link works once.
    virtual Result<std::optional<VerifierRegistration>> find_registration(const std::string& token_hash,
                                                                          TimePoint now) = 0;
    virtual Result<std::optional<VerifierRegistration>> take_registration(const std::string& token_hash,
                                                                          TimePoint now) = 0;
    // Deletes expired sessions, uploads and registrations; returns how many rows went.
    virtual Result<std::size_t> purge(TimePoint now) = 0;
};

// --- Subsidy reminders (issue 13, point 5) ---------------------------------------------------------

// A declarant's wish to hear when a programme of the subsidy catalogue opens a round, for one of
// its declarations.
struct SubsidySubscription {
    std::int64_t id = 0;
    std::int64_t declaration_id = 0;
    std::int64_t account_id = 0;  // who subscribed: the declaration's owner then
    std::string programme;        // the programme's slug
    TimePoint created_at;
};

// What became of the reminder of one subscription for one round. Whatever it is, there is one per
// subscription and round, so that no node sends that round's reminder again.
enum class ReminderOutcome {
    Queued,             // the mail is in the outbox
    Limited,            // the mail limits held it back
    NotOwner,           // the declaration has changed hands since the subscription
    OpenWhenSubscribed  // the round was open already when the declarant subscribed
};
std::string_view to_string(ReminderOutcome o);

class SubsidyReminderRepository {
public:
    virtual ~SubsidyReminderRepository() = default;
    // Subscribes the declaration to the programme; the existing subscription's id when it has one.
    virtual Result<std::int64_t> subscribe(std::int64_t declaration_id, std::int64_t account_id,
                                           const std::string& programme, TimePoint now) = 0;
    // Ends the subscription (and forgets its reminders); false when there was none.
    virtual Result<bool> unsubscribe(std::int64_t declaration_id, const std::string& programme) = 0;
    // The slugs the declaration is subscribed to, in slug order.
    virtual Result<std::vector<std::string>> programmes_of(std::int64_t declaration_id) = 0;
    // The subscriptions to `programme` with no reminder for `round` yet, in id order, after
    // `after_id`, at most `limit`.
    virtual Result<std::vector<SubsidySubscription>> awaiting(const std::string& programme, const std::string& round,
                                                              std::int64_t after_id, std::size_t limit) = 0;
    // Writes the reminder of the subscription for `round`, unless one exists (written by another
    // node, or before a restart): true when this transaction wrote it. Two transactions, of any
    // nodes, never both get true; the second waits for the first and writes nothing. `token_hash`
    // ("" for none) is the hash of the unsubscribe link the mail carries.
    virtual Result<bool> claim(std::int64_t subscription_id, const std::string& round, ReminderOutcome outcome,
                               const std::string& token_hash, TimePoint now) = 0;
    // The subscription whose reminder carried the unsubscribe link with this hash, if it still exists.
    virtual Result<std::optional<SubsidySubscription>> find_by_token(const std::string& token_hash) = 0;
    // Ends the subscription whose reminder carried this link; nullopt when it had ended already.
    virtual Result<std::optional<SubsidySubscription>> unsubscribe_by_token(const std::string& token_hash) = 0;
    // The outcome of the subscription's reminder for `round`, if it has one.
    virtual Result<std::optional<ReminderOutcome>> outcome(std::int64_t subscription_id, const std::string& round) = 0;
};

// --- Supporters (issue 13 point 6, ADR 42) -------------------------------------------------------

// An owner's invitation of a supporter by e-mail, waiting for the link it mailed to be followed.
struct SupportInvitation {
    std::int64_t id = 0;
    std::int64_t declaration_id = 0;
    std::string email;  // normalised: the supporter's account will be this address's
    support::Rights rights;
    std::int64_t invited_by = 0;  // the owner's account when it invited
    std::string token_hash;       // of the link mailed (app/tokens.hpp)
    TimePoint created_at;
    TimePoint expires_at;
};

// A supporter's access to one declaration: live until the owner ends it.
struct Support {
    std::int64_t id = 0;
    std::int64_t declaration_id = 0;
    std::int64_t account_id = 0;  // the supporter's own account
    std::string email;            // that account's address, read with it
    support::Rights rights;
    TimePoint started_at;
    std::optional<TimePoint> ended_at;
};

class SupportRepository {
public:
    virtual ~SupportRepository() = default;
    // Stores a pending invitation and returns its id.
    virtual Result<std::int64_t> invite(const SupportInvitation& i) = 0;
    // The pending, unexpired invitation with this hash, without using it.
    virtual Result<std::optional<SupportInvitation>> find_invitation(const std::string& token_hash, TimePoint now) = 0;
    // Marks the pending, unexpired invitation with this hash accepted and returns it; once,
    // whatever the number of concurrent requests.
    virtual Result<std::optional<SupportInvitation>> accept_invitation(const std::string& token_hash,
                                                                       TimePoint now) = 0;
    // Cancels the declaration's pending invitation `id`; false when there is none (any more).
    virtual Result<bool> cancel_invitation(std::int64_t id, std::int64_t declaration_id, TimePoint now) = 0;
    // The declaration's pending invitations unexpired at `now`, oldest first.
    virtual Result<std::vector<SupportInvitation>> pending_invitations(std::int64_t declaration_id, TimePoint now) = 0;
    // Starts the account's support of the declaration with `rights` and returns its id; when the
    // account supports it already, that support is kept and given `rights`.
    virtual Result<std::int64_t> start(std::int64_t declaration_id, std::int64_t account_id, support::Rights rights,
                                       TimePoint now) = 0;
    // The account's live support of the declaration, if any: what every supporter's request checks.
    virtual Result<std::optional<Support>> live(std::int64_t declaration_id, std::int64_t account_id) = 0;
    // Every support of the declaration, live and ended, oldest first.
    virtual Result<std::vector<Support>> of_declaration(std::int64_t declaration_id) = 0;
    // The account's live supports, oldest first.
    virtual Result<std::vector<Support>> live_of_account(std::int64_t account_id) = 0;
    // Ends the declaration's live support `id` at `now`; false when there is none (any more).
    virtual Result<bool> end(std::int64_t id, std::int64_t declaration_id, TimePoint now) = 0;
    // Notes that `account_id` filled in the application `declaration_id` for its business.
    virtual Status note_application(std::int64_t declaration_id, std::int64_t account_id, TimePoint now) = 0;
    // Who filled in the application for its business, if a supporter did; the note is used up, so
    // that confirming twice never starts a support twice.
    virtual Result<std::optional<std::int64_t>> take_application(std::int64_t declaration_id) = 0;
};

// --- The transparency log (issue 14, ADR 46) ----------------------------------------------------

// A stored subtree hash of the log's Merkle tree (SHA-256; tlog/merkle.hpp says which).
using LogHash = std::array<unsigned char, 32>;

// One leaf of the log: its entry text (tlog/entry.hpp) and which declaration it is about.
struct LogLeaf {
    std::int64_t index = 0;
    std::int64_t declaration_id = 0;
    std::string entry;
    TimePoint appended_at;
};

// A signed checkpoint (C2SP tlog-checkpoint as a signed note) of the tree of `size` leaves.
struct SignedCheckpoint {
    std::int64_t size = 0;
    std::string note;
    TimePoint signed_at;
};

// A witness's cosignature of the checkpoint of `size` (C2SP tlog-cosignature): `witness` is the
// witness's verifier key, `line` the signature line it answered, checked against that key.
struct StoredCosignature {
    std::int64_t size = 0;
    std::string witness;
    std::string line;
    TimePoint received_at;
};

// The log's tables. Only app/transparency_log.hpp writes them: it computes the hashes, this
// stores and reads them.
class TransparencyLogRepository {
public:
    virtual ~TransparencyLogRepository() = default;
    // The tree size, with the head locked until the transaction ends: no other transaction, of
    // any node, appends in between (SELECT ... FOR UPDATE on PostgreSQL; an SQLite write
    // transaction is exclusive already). The next leaf's index.
    virtual Result<std::int64_t> lock_size() = 0;
    // The tree size as this transaction sees it, without a lock.
    virtual Result<std::int64_t> size() = 0;
    // Stored hashes by index, in the order asked; storage.corrupt when one is missing.
    virtual Result<std::vector<LogHash>> hashes(std::span<const std::int64_t> indexes) = 0;
    // Appends `leaves` (their indexes from the locked size on, in order) and their stored hashes
    // (from index `first_hash` on), and moves the head past them.
    virtual Status append(std::span<const LogLeaf> leaves, std::int64_t first_hash,
                          std::span<const LogHash> hashes) = 0;
    // The entry texts of leaves [first, first + count), each below the size.
    virtual Result<std::vector<std::string>> entries(std::int64_t first, std::int64_t count) = 0;
    // The declaration's latest leaf, if it has any.
    virtual Result<std::optional<LogLeaf>> latest_of(std::int64_t declaration_id) = 0;
    // The salt of the declaration's public record hash (hex), if it has one yet.
    virtual Result<std::optional<std::string>> record_salt(std::int64_t declaration_id) = 0;
    // The salts of many declarations at once, in the order asked (an import's part).
    virtual Result<std::vector<std::optional<std::string>>> record_salts(std::span<const std::int64_t> ids) = 0;
    // Gives each declaration its salt (hex) unless it has one, many a statement.
    virtual Status set_record_salts(std::span<const std::pair<std::int64_t, std::string>> salts) = 0;
    // The checkpoint of the largest size, if any was signed.
    virtual Result<std::optional<SignedCheckpoint>> latest_checkpoint() = 0;
    // Stores a checkpoint unless one of its size exists (another node signed it first: Ed25519
    // is deterministic, so with the same key it wrote the same note). Whether this call stored it.
    virtual Result<bool> add_checkpoint(const SignedCheckpoint& c) = 0;
    // The checkpoint of `size`, if one was signed.
    virtual Result<std::optional<SignedCheckpoint>> checkpoint_of(std::int64_t size) = 0;
    // The largest size whose checkpoint has at least `required` cosignatures (above zero), if any.
    virtual Result<std::optional<std::int64_t>> latest_cosigned_size(int required) = 0;
    // Stores a witness's cosignature of the checkpoint of its size, unless that witness's is
    // stored already (another node submitted the same checkpoint).
    virtual Status add_cosignature(const StoredCosignature& c) = 0;
    // The cosignature lines stored for the checkpoint of `size`, in the order of their witnesses.
    virtual Result<std::vector<std::string>> cosignatures_of(std::int64_t size) = 0;
};

// The repositories of one open transaction.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual SessionRepository& sessions() = 0;
    virtual OutboxRepository& outbox() = 0;
    virtual AuditRepository& audit() = 0;
    virtual RateLimitRepository& rate_limits() = 0;
    virtual DeclarationRepository& declarations() = 0;
    virtual AccountRepository& accounts() = 0;
    virtual SignInTokenRepository& signin_tokens() = 0;
    virtual AssessmentRepository& assessments() = 0;
    virtual PolicyRepository& policies() = 0;
    virtual ContactChangeRepository& contact_changes() = 0;
    virtual DisputeRepository& disputes() = 0;
    virtual OperatorRepository& operators() = 0;
    virtual ConsoleRepository& console() = 0;
    virtual VerifierKeyRepository& verifier_keys() = 0;
    virtual VerificationRepository& verifications() = 0;
    virtual ImportRepository& imports() = 0;
    virtual VerifierAccountRepository& verifier_accounts() = 0;
    virtual SubsidyReminderRepository& subsidy_reminders() = 0;
    virtual SupportRepository& supports() = 0;
    virtual TransparencyLogRepository& transparency_log() = 0;
};

// Read and Write run `work` in a transaction (Read sees one snapshot throughout). Single is for
// work that runs exactly one read statement: the statement is atomic by itself, so no BEGIN and
// COMMIT are sent (on PostgreSQL, one round trip instead of three). Never use it for more than one
// statement: each would see its own snapshot. ReadMany is Read for work that reads many rows
// scattered over large tables (bulk verification): the engine may read them another way (SQLite
// reads them without its memory map; see sqlite_store.cpp). WriteMany is Write for one large
// transaction that writes many rows (`sengen import`): the engine may check references once, over
// the whole database, just before it commits, instead of row by row (SQLite; ADR 39). A reference
// that does not hold still fails the transaction and nothing is written. That one pass costs in
// proportion to the database, so it is not for many small transactions.
enum class TxMode { Read, Write, Single, ReadMany, WriteMany };

class Store {
public:
    virtual ~Store() = default;
    virtual std::string engine() const = 0;  // "sqlite" or "postgresql"
    virtual Status ping() = 0;
    // Runs `work` in one transaction: commits when it succeeds, rolls back when it returns an
    // error or throws (the exception is turned into an Unavailable error). Writes are serialised
    // on SQLite; on PostgreSQL they run under READ COMMITTED with row locks. A repository error
    // from a failed statement dooms the transaction on every engine: later calls in it return the
    // same error and it rolls back even if `work` goes on to succeed.
    virtual Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) = 0;

    // Convenience: a value computed inside a transaction.
    template <typename T, typename F>
    Result<T> query(TxMode mode, F&& f) {
        std::optional<T> out;
        auto st = transact(mode, [&](Transaction& tx) -> Status {
            auto r = f(tx);
            if (!r) return fail(r.error());
            out = std::move(*r);
            return {};
        });
        if (!st) return fail(st.error());
        return std::move(*out);
    }
};

}  // namespace sengen
