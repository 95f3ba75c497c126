# A sanitized sengen (make test) runs two to three times slower, so these whole-system tests get
# twice the time there; what they check is the same.
if(SENGEN_SANITIZE)
  set(sengen_nodes_timeout 360)
else()
  set(sengen_nodes_timeout 180)
endif()

# Several stateless nodes on one PostgreSQL database (real binaries, a throwaway cluster).
add_test(NAME nodes.two_serve_processes_on_one_postgresql COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/nodes_test.py)
set_tests_properties(nodes.two_serve_processes_on_one_postgresql PROPERTIES
  LABELS "storage;nodes" TIMEOUT ${sengen_nodes_timeout}
  ENVIRONMENT "SENGEN_BIN=$<TARGET_FILE:sengen>"
  SKIP_REGULAR_EXPRESSION "SKIPPING POSTGRESQL NODES TEST")

# 300 applications through the HTML pages, then every confirmation link at once on two nodes.
add_test(NAME nodes.hundreds_of_confirmations_at_once COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/confirmations_test.py)
set_tests_properties(nodes.hundreds_of_confirmations_at_once PROPERTIES
  LABELS "storage;nodes" TIMEOUT ${sengen_nodes_timeout}
  ENVIRONMENT "SENGEN_BIN=$<TARGET_FILE:sengen>"
  SKIP_REGULAR_EXPRESSION "SKIPPING POSTGRESQL NODES TEST")

# Subsidy reminders: both nodes reload at once and each reminder is sent once (ADR 41).
add_test(NAME nodes.reminders_sent_once_by_two_nodes COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/reminders_test.py)
set_tests_properties(nodes.reminders_sent_once_by_two_nodes PROPERTIES
  LABELS "storage;nodes" TIMEOUT ${sengen_nodes_timeout}
  ENVIRONMENT "SENGEN_BIN=$<TARGET_FILE:sengen>"
  SKIP_REGULAR_EXPRESSION "SKIPPING POSTGRESQL NODES TEST")
