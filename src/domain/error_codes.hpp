// The error codes that one part of sengen produces and another branches on (the web layer's
// status mapping, a handler choosing a page, a use case retrying). Each is part of the API's
// contract: a client sees it as "code" in a problem response, so the texts never change.
#pragma once

namespace sengen::codes {

// The request itself: a body that is not JSON or not UTF-8, or the wrong media type.
inline constexpr char kRequestMalformed[] = "request.malformed";
inline constexpr char kUnsupportedMediaType[] = "request.unsupported_media_type";

// A declaration ID that is not 11 digits, or whose check digit is wrong (probably mistyped).
inline constexpr char kIdMalformed[] = "id.malformed";
inline constexpr char kIdCheckDigit[] = "id.check_digit";
// 11 digits that fail our check digit and start as another registry's IDs do (IPA's 4 and 5).
inline constexpr char kIdOtherRegistry[] = "id.other_registry";

inline constexpr char kDeclarationNotFound[] = "declaration.not_found";
// Another live declaration already holds the corporate number.
inline constexpr char kDuplicateCorporateNumber[] = "declaration.duplicate_corporate_number";
// The stored state moved between reading and writing (another request won the race).
inline constexpr char kDeclarationChanged[] = "declaration.changed";

// Changing the contact address (the declarant's sign-in factor) from a session signed in too
// long ago: the declarant signs in again first (ASVS V7.5.1).
inline constexpr char kSignInAgain[] = "account.sign_in_again";

// A confirmation link that was never issued (or already used), or that is too old.
inline constexpr char kConfirmUnknown[] = "confirm.unknown";
inline constexpr char kConfirmExpired[] = "confirm.expired";
// A change-of-contact link that is unknown, used, expired or no longer its declaration's holder's wish.
inline constexpr char kContactChangeUnknown[] = "contact_change.unknown";

// A published policy its owner has taken down: the public page says it is gone.
inline constexpr char kPolicyUnpublished[] = "policy.unpublished";
// Publishing refused: the account has no live declaration; the draft repeats the newest version.
inline constexpr char kPolicyNotDeclared[] = "policy.not_declared";
inline constexpr char kPolicyUnchanged[] = "policy.unchanged";

// Supporters (ADR 42): an action the owner did not allow, or keeps for itself whatever it allows.
inline constexpr char kSupportNotAllowed[] = "support.not_allowed";
// An invitation link that is unknown, used, cancelled, expired, or whose inviter no longer holds
// the declaration.
inline constexpr char kSupportInvitationUnknown[] = "support.invitation_unknown";

}  // namespace sengen::codes
