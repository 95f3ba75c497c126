# The storage contract, run on SQLite and on a throwaway PostgreSQL 15 cluster
# (tests/support/pg-cluster.sh), plus each engine's own tests. One CTest test per engine, so the
# cluster starts once per run rather than once per case.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(storage_tests ${_dir}/storage_fixture.cpp ${_dir}/contract_test.cpp ${_dir}/registry_contract_test.cpp
               ${_dir}/engine_test.cpp ${_dir}/toolkit_contract_test.cpp
               ${_dir}/operator_contract_test.cpp
               ${_dir}/import_contract_test.cpp
               # Verifier accounts, sessions and uploads (issue 12 point 7)
               ${_dir}/verifier_account_contract_test.cpp
               # Subsidy reminders (issue 13 point 5)
               ${_dir}/reminder_contract_test.cpp
               # Supporters and their invitations (issue 13 point 6)
               ${_dir}/support_contract_test.cpp
               # The transparency log (issue 14, ADR 46)
               ${_dir}/tlog_contract_test.cpp
               # A declarant's code from an authenticator app and its session's stage (ADR 61)
               ${_dir}/declarant_code_contract_test.cpp)
target_include_directories(storage_tests PRIVATE ${_dir} ${CMAKE_CURRENT_SOURCE_DIR}/support)
target_compile_definitions(storage_tests
  PRIVATE SENGEN_PG_CLUSTER_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/support/pg-cluster.sh")
target_link_libraries(storage_tests PRIVATE sengen_core sengen_warnings PkgConfig::PQXX GTest::gtest_main)

add_test(NAME storage.contract.sqlite COMMAND storage_tests --gtest_filter=*/sqlite:-*RegistryContract.*:*SupportContract.*:*TlogContract.*)
add_test(NAME storage.contract.postgres
         COMMAND storage_tests
                 --gtest_filter=*/postgres:PostgresAdapter.*:-*RegistryContract.*:*SupportContract.*:*TlogContract.*)
# The registry's repositories (declarations, accounts, sign-in tokens), apart so both engines run at once.
add_test(NAME storage.registry_contract.sqlite COMMAND storage_tests --gtest_filter=*RegistryContract.*/sqlite)
add_test(NAME storage.registry_contract.postgres COMMAND storage_tests --gtest_filter=*RegistryContract.*/postgres)
# Supporters and their invitations (issue 13 point 6), apart for the same reason: the contract above
# is near its time limit on a busy machine.
add_test(NAME storage.support_contract.sqlite COMMAND storage_tests --gtest_filter=*SupportContract.*/sqlite)
add_test(NAME storage.support_contract.postgres COMMAND storage_tests --gtest_filter=*SupportContract.*/postgres)
# The transparency log (issue 14, ADR 46), apart for the same reason.
add_test(NAME storage.tlog_contract.sqlite COMMAND storage_tests --gtest_filter=*TlogContract.*/sqlite)
add_test(NAME storage.tlog_contract.postgres COMMAND storage_tests --gtest_filter=*TlogContract.*/postgres)
set_tests_properties(storage.contract.sqlite storage.contract.postgres storage.registry_contract.sqlite
                     storage.registry_contract.postgres storage.support_contract.sqlite
                     storage.support_contract.postgres storage.tlog_contract.sqlite storage.tlog_contract.postgres
                     PROPERTIES LABELS storage TIMEOUT 300)
# Under ASan, an allocation's stack is unwound by frame pointers (fast, the default), which stops at
# the first library built without them. That is enough for every suppression in
# tests/support/lsan.supp but one: libpqxx's leaked BEGIN result is recognised by pqxx's own frame,
# below libpq's, and only this test breaks connections on purpose. It alone unwinds in full, which
# is several times slower (one shard of the unit tests took 235 s with it, 29 s without).
if(SENGEN_SANITIZE)
  set_tests_properties(storage.contract.postgres PROPERTIES ENVIRONMENT "ASAN_OPTIONS=fast_unwind_on_malloc=0:detect_leaks=1")
endif()
# Outside CI a machine without PostgreSQL skips its cases loudly; CTest reports that as skipped.
set_tests_properties(storage.contract.postgres storage.registry_contract.postgres storage.support_contract.postgres
                     storage.tlog_contract.postgres PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPING POSTGRESQL STORAGE TESTS")

# migrate, backup and restore through the real binary, on SQLite files.
add_test(NAME storage.cli COMMAND /usr/bin/python3 ${_dir}/cli_test.py)
set_tests_properties(storage.cli PROPERTIES LABELS storage TIMEOUT 120
                     ENVIRONMENT "SENGEN_BIN=$<TARGET_FILE:sengen>")
