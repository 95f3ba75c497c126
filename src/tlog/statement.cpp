// Signed statements and their offline check (see statement.hpp).
#include "tlog/statement.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

#include "tlog/encoding.hpp"

namespace sengen::tlog {
namespace {

Error bad(std::string detail) { return Error{Error::Kind::Invalid, "tlog.bad_statement", std::move(detail), {}}; }

}  // namespace

std::string bundle_json(const StatementBundle& b) {
    nlohmann::ordered_json j;
    j["statement"] = b.statement;
    j["leaf_index"] = b.leaf_index;
    auto& proof = j["inclusion_proof"] = nlohmann::ordered_json::array();
    for (const Hash& h : b.inclusion_proof) proof.push_back(base64(h));
    j["checkpoint"] = b.checkpoint;
    if (!b.record_salt.empty()) j["record_salt"] = b.record_salt;
    return j.dump();
}

Result<StatementBundle> parse_bundle_json(std::string_view json, std::size_t max_bytes) {
    if (json.size() > max_bytes) return fail(bad("the file is larger than a statement bundle can be"));
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(bad("the file is not a JSON object"));
    StatementBundle b;
    const auto statement = j.find("statement");
    const auto index = j.find("leaf_index");
    const auto proof = j.find("inclusion_proof");
    const auto checkpoint = j.find("checkpoint");
    if (statement == j.end() || !statement->is_string() || checkpoint == j.end() || !checkpoint->is_string())
        return fail(bad("the bundle lacks its statement or its checkpoint"));
    if (index == j.end() || !index->is_number_integer() || index->get<std::int64_t>() < 0)
        return fail(bad("the bundle's leaf_index is not a number of 0 or more"));
    if (proof == j.end() || !proof->is_array() || proof->size() > 64)
        return fail(bad("the bundle's inclusion_proof is not a list of hashes"));
    b.statement = statement->get<std::string>();
    b.checkpoint = checkpoint->get<std::string>();
    b.leaf_index = index->get<std::int64_t>();
    if (const auto salt = j.find("record_salt"); salt != j.end()) {
        if (!salt->is_string() || !unbase64(salt->get<std::string>()))
            return fail(bad("the bundle's record_salt is not base64"));
        b.record_salt = salt->get<std::string>();
    }
    for (const auto& item : *proof) {
        const auto raw = item.is_string() ? unbase64(item.get<std::string>()) : std::nullopt;
        if (!raw || raw->size() != 32) return fail(bad("a hash of the inclusion proof is not 32 bytes in base64"));
        Hash h{};
        std::memcpy(h.data(), raw->data(), h.size());
        b.inclusion_proof.push_back(h);
    }
    return b;
}

Result<VerifiedStatement> verify_statement(const StatementBundle& b, std::span<const VerifierKey> keys) {
    auto checkpoint_note = parse_note(b.checkpoint);
    if (!checkpoint_note) return fail(bad("the checkpoint is not a signed note: " + checkpoint_note.error().detail));
    auto checkpoint_text = open_note(*checkpoint_note, keys);
    if (!checkpoint_text) return fail(bad("the checkpoint's signature: " + checkpoint_text.error().detail));
    auto checkpoint = parse_checkpoint(*checkpoint_text);
    if (!checkpoint) return fail(bad("the checkpoint: " + checkpoint.error().detail));

    auto statement_note = parse_note(b.statement);
    if (!statement_note) return fail(bad("the statement is not a signed note: " + statement_note.error().detail));
    auto entry_text = open_note(*statement_note, keys);
    if (!entry_text) return fail(bad("the statement's signature: " + entry_text.error().detail));
    auto entry = parse_entry(*entry_text);
    if (!entry) return fail(bad("the statement's entry: " + entry.error().detail));
    if (entry->origin != checkpoint->origin)
        return fail(
            bad("the statement comes from log " + entry->origin + ", the checkpoint from " + checkpoint->origin));

    if (b.leaf_index >= checkpoint->size)
        return fail(bad("entry " + std::to_string(b.leaf_index) + " is beyond the checkpoint's tree of " +
                        std::to_string(checkpoint->size)));
    if (!verify_inclusion(b.leaf_index, checkpoint->size, leaf_hash(*entry_text), b.inclusion_proof, checkpoint->root))
        return fail(bad("the inclusion proof does not lead from the entry to the checkpoint's root"));
    return VerifiedStatement{std::move(*entry), std::move(*checkpoint), b.leaf_index};
}

}  // namespace sengen::tlog
