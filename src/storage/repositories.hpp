// The repositories of domain/ports.hpp, written once over the SqlConnection port: both engines
// construct an SqlTransaction on their connection for each Store::transact. The SQL of each table
// and its row <-> struct mapping live together in one file of repositories/.
#pragma once
#include "domain/ports.hpp"
#include "storage/sql_connection.hpp"

namespace sengen::storage {

class SqlSessions final : public SessionRepository {
public:
    explicit SqlSessions(SqlConnection& c) : c_(c) {}
    Status create(const Session& s) override;
    Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) override;
    Status extend(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) override;
    Status save_data(const std::string& id_hash, const std::string& data) override;
    Status remove(const std::string& id_hash) override;
    Result<std::size_t> remove_all_of(std::int64_t account_id) override;
    Result<std::vector<Session>> list_of(std::int64_t account_id, TimePoint now) override;
    Result<std::size_t> purge_expired(TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlOutbox final : public OutboxRepository {
public:
    explicit SqlOutbox(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) override;
    Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                               const std::string& worker) override;
    Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) override;
    Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                      const std::string& error) override;
    Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) override;
    Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) override;
    Status retry(std::int64_t id, TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlAudit final : public AuditRepository {
public:
    explicit SqlAudit(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> record(const AuditEvent& e) override;
    Status record_all(std::span<const AuditEvent> events) override;
    Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) override;
    Result<std::vector<AuditEvent>> between(TimePoint from, TimePoint until, std::int64_t after_id,
                                            std::size_t limit) override;

private:
    SqlConnection& c_;
};

class SqlRateLimits final : public RateLimitRepository {
public:
    explicit SqlRateLimits(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) override;
    Result<std::int64_t> count(const std::string& key, TimePoint window_start) override;
    Result<std::size_t> purge_windows(TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlDeclarations final : public DeclarationRepository {
public:
    explicit SqlDeclarations(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> create(const Declaration& d) override;
    Result<std::optional<Declaration>> find(std::int64_t id) override;
    Result<std::optional<Declaration>> find_by_public_id(const DeclarationId& public_id) override;
    Result<std::optional<PublicDeclaration>> find_public(const DeclarationId& public_id) override;
    Result<std::optional<Declaration>> find_by_confirm_token(const std::string& token_hash) override;
    Result<bool> live_exists_for_corporate_number(const std::string& corporate_number, std::int64_t except_id) override;
    Result<std::optional<std::int64_t>> live_holder_of_corporate_number(const std::string& corporate_number,
                                                                        std::int64_t except_id) override;
    Result<std::size_t> purge_expired_applications(TimePoint expired_before) override;
    Result<std::int64_t> next_serial(TimePoint now) override;
    Status save_state(const Declaration& d, const lifecycle::State& expected) override;
    Status save_details(std::int64_t id, const Application& details, const std::vector<DetailChange>& changes,
                        const std::string& actor, TimePoint now) override;
    Status note_changes(std::int64_t id, const std::vector<DetailChange>& changes, const std::string& actor,
                        TimePoint now) override;
    Status set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) override;
    Result<std::vector<Declaration>> for_account(std::int64_t account_id) override;
    Result<std::vector<Declaration>> with_status(lifecycle::Status status, std::size_t limit) override;
    Result<std::vector<Declaration>> page_after(std::int64_t after_id, std::size_t limit) override;
    Result<Counts> counts(TimePoint issued_since) override;
    Result<std::vector<DetailChange>> history(std::int64_t id, std::size_t limit) override;
    Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> search(const SearchQuery& q) override;

private:
    SqlConnection& c_;
};

class SqlAccounts final : public AccountRepository {
public:
    explicit SqlAccounts(SqlConnection& c) : c_(c) {}
    Result<Account> find_or_create(const std::string& email, Lang lang, TimePoint now) override;
    Result<std::optional<Account>> find(std::int64_t id) override;
    Result<std::optional<Account>> find_by_email(const std::string& email) override;
    Result<AccountSecondFactor> second_factor(std::int64_t id) override;
    Status set_totp_pending(std::int64_t id, const std::string& secret) override;
    Status confirm_totp(std::int64_t id, std::int64_t step) override;
    Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) override;
    Result<bool> clear_totp(std::int64_t id) override;

private:
    SqlConnection& c_;
};

class SqlSignInTokens final : public SignInTokenRepository {
public:
    explicit SqlSignInTokens(SqlConnection& c) : c_(c) {}
    Status create(const SignInToken& t, TimePoint now) override;
    Result<std::optional<SignInToken>> consume(const std::string& token_hash, TimePoint now) override;
    Result<std::size_t> purge(TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlContactChanges final : public ContactChangeRepository {
public:
    explicit SqlContactChanges(SqlConnection& c) : c_(c) {}
    Status create(const ContactChange& c, TimePoint now) override;
    Result<std::optional<ContactChange>> find(const std::string& token_hash, TimePoint now) override;
    Result<std::optional<ContactChange>> consume(const std::string& token_hash, TimePoint now) override;
    Result<std::size_t> purge(TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlDisputes final : public DisputeRepository {
public:
    explicit SqlDisputes(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> open(const CorporateNumberDispute& d) override;
    Result<std::vector<CorporateNumberDispute>> list_open(std::size_t limit) override;
    Result<std::optional<CorporateNumberDispute>> find(std::int64_t id) override;
    Status settle(std::int64_t id) override;

private:
    SqlConnection& c_;
};

class SqlAssessments final : public AssessmentRepository {
public:
    explicit SqlAssessments(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> save(std::int64_t account_id, const std::string& edition, const assessment::Answers& answers,
                              int score, TimePoint taken_at) override;
    Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) override;
    Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) override;

private:
    SqlConnection& c_;
};

class SqlPolicies final : public PolicyRepository {
public:
    explicit SqlPolicies(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> create(std::int64_t account_id, const std::string& slug, const std::string& template_edition,
                                const policy::Draft& draft, TimePoint now) override;
    Result<std::optional<SavedPolicy>> get(std::int64_t account_id, std::int64_t id) override;
    Result<std::optional<SavedPolicy>> find_by_slug(const std::string& slug) override;
    Result<std::vector<SavedPolicy>> for_account(std::int64_t account_id) override;
    Status save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) override;
    Status lock(std::int64_t account_id, std::int64_t id) override;
    Result<PolicyVersion> publish(std::int64_t account_id, std::int64_t id, const policy::Document& document,
                                  TimePoint now) override;
    Status unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) override;
    Result<std::vector<PolicyVersionEntry>> version_list(std::int64_t policy_id, int at_most, int limit) override;
    Result<std::optional<PolicyVersion>> version(std::int64_t policy_id, int number) override;

private:
    SqlConnection& c_;
};

// Operators and the console's views (issue 12).
class SqlOperators final : public OperatorRepository {
public:
    explicit SqlOperators(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> create(const std::string& email, OperatorRole role, const std::string& setup_token_hash,
                                TimePoint setup_expires_at, TimePoint now) override;
    Result<std::optional<OperatorAccount>> find(std::int64_t id) override;
    Result<std::optional<OperatorAccount>> find_by_email(const std::string& email) override;
    Result<std::optional<OperatorAccount>> find_by_setup_token(const std::string& token_hash, TimePoint now) override;
    Status complete_setup(std::int64_t id, const std::string& token_hash, const std::string& password_hash,
                          const std::string& totp_pending) override;
    Status confirm_totp(std::int64_t id, std::int64_t step, const std::vector<std::string>& code_hashes) override;
    Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) override;
    Result<bool> use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint now) override;
    Result<std::vector<OperatorAccount>> list() override;
    Status create_session(const OperatorSession& s) override;
    Result<std::optional<OperatorSession>> find_session(const std::string& id_hash, TimePoint now) override;
    Status extend_session(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) override;
    Result<std::vector<OperatorSession>> list_sessions(std::int64_t id, TimePoint now) override;
    Status remove_session(const std::string& id_hash) override;
    Result<std::size_t> remove_sessions_of(std::int64_t id, const std::optional<std::string>& keep) override;
    Status set_password(std::int64_t id, const std::string& password_hash) override;

private:
    SqlConnection& c_;
};

class SqlConsole final : public ConsoleRepository {
public:
    explicit SqlConsole(SqlConnection& c) : c_(c) {}
    Result<std::vector<DeclarationCount>> counts_by_level_and_status() override;
    Result<std::int64_t> created_since(TimePoint since) override;
    Result<std::int64_t> failed_mail() override;
    Result<std::vector<std::int64_t>> find_declarations(const std::string& name_key, const std::string& exact,
                                                        std::size_t limit) override;
    Result<std::vector<AuditEvent>> audit(const AuditQuery& q) override;
    Result<std::vector<std::pair<std::string, std::int64_t>>> agreements_by_terms() override;
    Result<std::vector<std::pair<std::int64_t, TimePoint>>> verifier_keys_last_used() override;

private:
    SqlConnection& c_;
};

// --- Verifiers (issue 12) ----------------------------------------------------------------------

// The public view from a row whose first columns are the public columns (declarations.cpp's
// SENGEN_PUBLIC_COLUMNS, which it also exports as kPublicColumns).
Result<PublicDeclaration> read_public_declaration(const Row& r);
extern const char* const kPublicColumns;

class SqlVerifierKeys final : public VerifierKeyRepository {
public:
    explicit SqlVerifierKeys(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> create(const VerifierKey& k) override;
    Result<std::optional<VerifierKey>> find_by_hash(const std::string& key_hash) override;
    Result<std::optional<VerifierKey>> find(std::int64_t id) override;
    Result<std::optional<VerifierKey>> find_by_name(const std::string& name) override;
    Result<std::vector<VerifierKey>> list() override;
    Status revoke(std::int64_t id, TimePoint now) override;

private:
    SqlConnection& c_;
};

class SqlVerifications final : public VerificationRepository {
public:
    explicit SqlVerifications(SqlConnection& c) : c_(c) {}
    Result<std::vector<VerifiedDeclaration>> find_many(std::span<const DeclarationId* const> ids) override;
    Status events_of(std::span<const std::int64_t> declaration_ids,
                     const std::function<void(std::int64_t, const history::Recorded&)>& on_event) override;
    Result<std::vector<history::Recorded>> events_of_public(const DeclarationId& public_id) override;
    Status record_call(const VerificationCall& call) override;
    Result<std::int64_t> count(const std::string& key, TimePoint window_start, TimePoint expires_at,
                               std::int64_t amount) override;

private:
    SqlConnection& c_;
};

// Bulk writes, `sengen import` (issue 12, point 9) and `sengen seed`: repositories/imports.cpp.
class SqlImports final : public ImportRepository {
public:
    explicit SqlImports(SqlConnection& c) : c_(c) {}
    Status ids_between(const std::string& lowest, const std::string& highest,
                       const std::function<void(std::string_view)>& each) override;
    Status live_corporate_numbers(const std::function<void(std::string_view)>& each) override;
    Status insert_all(std::span<Declaration> ds, std::span<const std::string> record_salts,
                      std::optional<TimePoint> imported_at) override;
    Result<std::optional<ImportOrigin>> origin_of(std::int64_t declaration_id) override;
    Status attach_accounts(std::span<Declaration> ds, TimePoint now) override;
    Result<std::vector<std::int64_t>> draw_serials(std::span<const TimePoint> issued_at) override;
    Status reserve_serials(std::span<const std::int64_t> serials, TimePoint at) override;

private:
    SqlConnection& c_;
    bool bulk_ready_ = false;  // the connection is readied for many rows (imports.cpp)
};

// Verifier accounts, their sessions and uploads (issue 12, ADR 0037).
class SqlVerifierAccounts final : public VerifierAccountRepository {
public:
    explicit SqlVerifierAccounts(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> create(const VerifierAccount& a) override;
    Result<std::optional<VerifierAccount>> find_by_email(const std::string& email) override;
    Result<std::optional<VerifierAccount>> find_by_id(std::int64_t id) override;
    Result<std::vector<VerifierAccount>> list(std::optional<std::int64_t> key_id) override;
    Status disable(std::int64_t id, TimePoint at) override;
    Status create_session(const VerifierSession& s) override;
    Status set_totp_pending(std::int64_t id, const std::string& secret) override;
    Status confirm_totp(std::int64_t id, std::int64_t step) override;
    Result<bool> accept_totp_step(std::int64_t id, std::int64_t step) override;
    Status reset_totp(std::int64_t id) override;
    Result<std::optional<VerifierSession>> find_session(const std::string& id_hash, TimePoint now) override;
    Status extend_session(const std::string& id_hash, TimePoint expires_at) override;
    Status remove_session(const std::string& id_hash) override;
    Result<std::size_t> remove_sessions_of(std::int64_t account_id, const std::optional<std::string>& keep) override;
    Status set_password(std::int64_t account_id, const std::string& password_hash) override;
    Status save_upload(const VerifierUpload& u) override;
    Result<std::optional<VerifierUpload>> find_upload(const std::string& ref, std::int64_t account_id,
                                                      TimePoint now) override;
    Status save_registration(const VerifierRegistration& r) override;
    Result<std::optional<VerifierRegistration>> find_registration(const std::string& token_hash,
                                                                  TimePoint now) override;
    Result<std::optional<VerifierRegistration>> take_registration(const std::string& token_hash,
                                                                  TimePoint now) override;
    Result<std::size_t> purge(TimePoint now) override;

private:
    SqlConnection& c_;
};

// Subsidy reminders (issue 13, point 5; ADR 41).
class SqlSubsidyReminders final : public SubsidyReminderRepository {
public:
    explicit SqlSubsidyReminders(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> subscribe(std::int64_t declaration_id, std::int64_t account_id, const std::string& programme,
                                   TimePoint now) override;
    Result<bool> unsubscribe(std::int64_t declaration_id, const std::string& programme) override;
    Result<std::vector<std::string>> programmes_of(std::int64_t declaration_id) override;
    Result<std::vector<SubsidySubscription>> awaiting(const std::string& programme, const std::string& round,
                                                      std::int64_t after_id, std::size_t limit) override;
    Result<bool> claim(std::int64_t subscription_id, const std::string& round, ReminderOutcome outcome,
                       const std::string& token_hash, TimePoint now) override;
    Result<std::optional<SubsidySubscription>> find_by_token(const std::string& token_hash) override;
    Result<std::optional<SubsidySubscription>> unsubscribe_by_token(const std::string& token_hash) override;
    Result<std::optional<ReminderOutcome>> outcome(std::int64_t subscription_id, const std::string& round) override;

private:
    SqlConnection& c_;
};

// Supporters and their invitations (issue 13, point 6; ADR 42).
class SqlSupports final : public SupportRepository {
public:
    explicit SqlSupports(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> invite(const SupportInvitation& i) override;
    Result<std::optional<SupportInvitation>> find_invitation(const std::string& token_hash, TimePoint now) override;
    Result<std::optional<SupportInvitation>> accept_invitation(const std::string& token_hash, TimePoint now) override;
    Result<bool> cancel_invitation(std::int64_t id, std::int64_t declaration_id, TimePoint now) override;
    Result<std::vector<SupportInvitation>> pending_invitations(std::int64_t declaration_id, TimePoint now) override;
    Result<std::int64_t> start(std::int64_t declaration_id, std::int64_t account_id, support::Rights rights,
                               TimePoint now) override;
    Result<std::optional<Support>> live(std::int64_t declaration_id, std::int64_t account_id) override;
    Result<std::vector<Support>> of_declaration(std::int64_t declaration_id) override;
    Result<std::vector<Support>> live_of_account(std::int64_t account_id) override;
    Result<bool> end(std::int64_t id, std::int64_t declaration_id, TimePoint now) override;
    Status note_application(std::int64_t declaration_id, std::int64_t account_id, TimePoint now) override;
    Result<std::optional<std::int64_t>> take_application(std::int64_t declaration_id) override;

private:
    SqlConnection& c_;
};

// The transparency log's tables (issue 14, ADR 46).
class SqlTransparencyLog final : public TransparencyLogRepository {
public:
    explicit SqlTransparencyLog(SqlConnection& c) : c_(c) {}
    Result<std::int64_t> lock_size() override;
    Result<std::int64_t> size() override;
    Result<std::vector<LogHash>> hashes(std::span<const std::int64_t> indexes) override;
    Status append(std::span<const LogLeaf> leaves, std::int64_t first_hash, std::span<const LogHash> hashes) override;
    Result<std::vector<std::string>> entries(std::int64_t first, std::int64_t count) override;
    Result<std::optional<LogLeaf>> latest_of(std::int64_t declaration_id) override;
    Result<std::optional<std::string>> record_salt(std::int64_t declaration_id) override;
    Result<std::vector<std::optional<std::string>>> record_salts(std::span<const std::int64_t> ids) override;
    Status set_record_salts(std::span<const std::pair<std::int64_t, std::string>> salts) override;
    Result<std::optional<SignedCheckpoint>> latest_checkpoint() override;
    Result<bool> add_checkpoint(const SignedCheckpoint& c) override;
    Result<std::optional<SignedCheckpoint>> checkpoint_of(std::int64_t size) override;
    Result<std::optional<std::int64_t>> latest_cosigned_size(int required) override;
    Status add_cosignature(const StoredCosignature& c) override;
    Result<std::vector<std::string>> cosignatures_of(std::int64_t size) override;

private:
    SqlConnection& c_;
};

// Every repository of one transaction, on one connection. Built on the stack for each transaction
// (no allocation: the lookup's hot path constructs one per request).
class SqlTransaction final : public Transaction {
public:
    explicit SqlTransaction(SqlConnection& c)
        : sessions_(c),
          outbox_(c),
          audit_(c),
          rate_limits_(c),
          declarations_(c),
          accounts_(c),
          signin_tokens_(c),
          assessments_(c),
          policies_(c),
          contact_changes_(c),
          disputes_(c),
          operators_(c),
          console_(c),
          verifier_keys_(c),
          verifications_(c),
          imports_(c),
          verifier_accounts_(c),
          subsidy_reminders_(c),
          supports_(c),
          transparency_log_(c) {}
    SessionRepository& sessions() override { return sessions_; }
    OutboxRepository& outbox() override { return outbox_; }
    AuditRepository& audit() override { return audit_; }
    RateLimitRepository& rate_limits() override { return rate_limits_; }
    DeclarationRepository& declarations() override { return declarations_; }
    AccountRepository& accounts() override { return accounts_; }
    SignInTokenRepository& signin_tokens() override { return signin_tokens_; }
    AssessmentRepository& assessments() override { return assessments_; }
    PolicyRepository& policies() override { return policies_; }
    ContactChangeRepository& contact_changes() override { return contact_changes_; }
    DisputeRepository& disputes() override { return disputes_; }
    OperatorRepository& operators() override { return operators_; }
    ConsoleRepository& console() override { return console_; }
    VerifierKeyRepository& verifier_keys() override { return verifier_keys_; }
    VerificationRepository& verifications() override { return verifications_; }
    ImportRepository& imports() override { return imports_; }
    VerifierAccountRepository& verifier_accounts() override { return verifier_accounts_; }
    SubsidyReminderRepository& subsidy_reminders() override { return subsidy_reminders_; }
    SupportRepository& supports() override { return supports_; }
    TransparencyLogRepository& transparency_log() override { return transparency_log_; }

private:
    SqlSessions sessions_;
    SqlOutbox outbox_;
    SqlAudit audit_;
    SqlRateLimits rate_limits_;
    SqlDeclarations declarations_;
    SqlAccounts accounts_;
    SqlSignInTokens signin_tokens_;
    SqlAssessments assessments_;
    SqlPolicies policies_;
    SqlContactChanges contact_changes_;
    SqlDisputes disputes_;
    SqlOperators operators_;
    SqlConsole console_;
    SqlVerifierKeys verifier_keys_;
    SqlVerifications verifications_;
    SqlImports imports_;
    SqlVerifierAccounts verifier_accounts_;
    SqlSubsidyReminders subsidy_reminders_;
    SqlSupports supports_;
    SqlTransparencyLog transparency_log_;
};

// The statuses for which `pred` holds, as a list of SQL string literals for `status IN (...)`:
// the SQL's sets of statuses come from the domain's predicates (lifecycle.hpp), never a copy.
std::string status_list(bool (*pred)(lifecycle::Status));

}  // namespace sengen::storage
