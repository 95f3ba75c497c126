// Whether this node can serve requests: what a load balancer's readiness probe asks.
#pragma once
#include "domain/ports.hpp"

namespace sengen::app {

class Readiness {
public:
    explicit Readiness(Store& store) : store_(store) {}

    // Unavailable when the database does not answer.
    Status check() { return store_.ping(); }

private:
    Store& store_;
};

}  // namespace sengen::app
