// The operator's roles and session stages as stored.
#include "domain/operator.hpp"

namespace sengen {

std::string_view to_string(OperatorRole r) { return r == OperatorRole::Admin ? "admin" : "staff"; }

std::optional<OperatorRole> parse_operator_role(std::string_view s) {
    if (s == "admin") return OperatorRole::Admin;
    if (s == "staff") return OperatorRole::Staff;
    return std::nullopt;
}

std::string_view to_string(OperatorStage s) {
    switch (s) {
        case OperatorStage::TotpSetup:
            return "totp_setup";
        case OperatorStage::SecondFactor:
            return "second_factor";
        case OperatorStage::Full:
            return "full";
    }
    return "second_factor";
}

std::optional<OperatorStage> parse_operator_stage(std::string_view s) {
    if (s == "totp_setup") return OperatorStage::TotpSetup;
    if (s == "second_factor") return OperatorStage::SecondFactor;
    if (s == "full") return OperatorStage::Full;
    return std::nullopt;
}

}  // namespace sengen
