// The witness's add-checkpoint logic (see witness.hpp).
#include "tlog/witness.hpp"

#include <charconv>
#include <cstring>

#include "tlog/cosignature.hpp"
#include "tlog/encoding.hpp"

namespace sengen::tlog {
namespace {

constexpr int kMaxProofLines = 63;

Error bad_request(std::string detail) {
    return Error{Error::Kind::Invalid, "tlog.witness.bad_request", std::move(detail), {}};
}

WitnessAnswer answer(int status, std::string body) {
    WitnessAnswer a;
    a.status = status;
    a.body = std::move(body);
    if (!a.body.empty() && !a.body.ends_with('\n')) a.body += '\n';
    return a;
}

std::optional<std::int64_t> size_of(std::string_view s) {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

}  // namespace

Result<AddCheckpoint> parse_add_checkpoint(std::string_view body) {
    AddCheckpoint out;
    auto next_line = [&body]() -> std::optional<std::string_view> {
        const auto eol = body.find('\n');
        if (eol == std::string_view::npos) return std::nullopt;
        const std::string_view line = body.substr(0, eol);
        body.remove_prefix(eol + 1);
        return line;
    };
    const auto first = next_line();
    if (!first || !first->starts_with("old ")) return fail(bad_request("the body starts with \"old <size>\""));
    const auto old_size = size_of(first->substr(4));
    if (!old_size) return fail(bad_request("the old size is not a decimal without leading zeros"));
    out.old_size = *old_size;
    for (;;) {
        const auto line = next_line();
        if (!line) return fail(bad_request("no empty line before the checkpoint"));
        if (line->empty()) break;
        if (static_cast<int>(out.proof.size()) == kMaxProofLines)
            return fail(bad_request("more than 63 consistency proof lines"));
        const auto raw = unbase64(*line);
        if (!raw || raw->size() != sizeof(Hash)) return fail(bad_request("a proof line is not one base64 hash"));
        Hash h{};
        std::memcpy(h.data(), raw->data(), h.size());
        out.proof.push_back(h);
    }
    if (body.empty()) return fail(bad_request("no checkpoint after the empty line"));
    out.checkpoint = std::string(body);
    return out;
}

std::optional<std::string> claimed_origin(const AddCheckpoint& request) {
    const auto eol = request.checkpoint.find('\n');
    if (eol == std::string::npos || eol == 0) return std::nullopt;
    return request.checkpoint.substr(0, eol);
}

WitnessAnswer add_checkpoint(const AddCheckpoint& request, std::span<const VerifierKey> log_keys,
                             const std::optional<std::string>& latest, const NoteSigner& witness, std::int64_t now) {
    auto note = parse_note(request.checkpoint);
    if (!note) return answer(400, "the checkpoint is not a signed note: " + note.error().detail);
    if (log_keys.empty()) return answer(404, "this witness does not witness that log");
    auto text = open_note(*note, log_keys);
    if (!text) return answer(403, "the checkpoint is not signed by the log's key: " + text.error().detail);
    auto checkpoint = parse_checkpoint(*text);
    if (!checkpoint) return answer(400, "not a checkpoint: " + checkpoint.error().detail);
    if (request.old_size > checkpoint->size) return answer(400, "the old size is larger than the checkpoint's");

    std::optional<Checkpoint> previous;
    if (latest) {
        auto p = parse_checkpoint(*latest);
        if (!p) return answer(500, "the witness's own record of this log cannot be read");
        previous = std::move(*p);
    }
    const std::int64_t known = previous ? previous->size : 0;
    if (request.old_size != known) {
        WitnessAnswer conflict = answer(409, std::to_string(known));
        conflict.content_type = "text/x.tlog.size";
        return conflict;
    }
    if (checkpoint->size == 0 && checkpoint->root != empty_tree_hash())
        return answer(422, "an empty tree must have the empty tree's root");
    if (request.old_size == 0) {
        if (!request.proof.empty()) return answer(422, "no consistency proof is needed from the empty tree");
    } else if (!verify_consistency(request.old_size, checkpoint->size, previous->root, checkpoint->root,
                                   request.proof)) {
        return answer(422, "the consistency proof does not verify: the checkpoint does not extend the one cosigned");
    }
    WitnessAnswer ok = answer(200, format_signature_line(cosign(witness, *text, now)));
    ok.keep = *text;
    return ok;
}

std::string format_add_checkpoint(const AddCheckpoint& request) {
    std::string body = "old " + std::to_string(request.old_size) + "\n";
    for (const Hash& h : request.proof) {
        body += base64(h);
        body += '\n';
    }
    body += '\n';
    body += request.checkpoint;
    return body;
}

Result<NoteSignature> cosignature_in_answer(std::string_view answer, std::string_view checkpoint_text,
                                            const VerifierKey& witness) {
    auto bad_answer = [&](std::string detail) {
        return Error{Error::Kind::Invalid, "tlog.witness.bad_answer", witness.name + ": " + std::move(detail), {}};
    };
    // The answer is signature lines: read them as the signatures of a note of the checkpoint.
    std::string note(checkpoint_text);
    note += '\n';
    note += answer;
    auto parsed = parse_note(note);
    if (!parsed) return fail(bad_answer("the answer is not signature lines: " + parsed.error().detail));
    std::string why = "no cosignature by its key";
    for (const NoteSignature& s : parsed->signatures) {
        if (s.name != witness.name || s.key_id != witness.key_id) continue;
        auto checked = verify_cosignature(checkpoint_text, s, witness);
        if (checked) return s;
        why = checked.error().detail;
    }
    return fail(bad_answer(why));
}

std::optional<std::int64_t> size_in_conflict(std::string_view answer) {
    if (answer.ends_with('\n')) answer.remove_suffix(1);
    return size_of(answer);
}

}  // namespace sengen::tlog
