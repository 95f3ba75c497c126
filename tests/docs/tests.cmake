# The docs stay true to the binary: every flag of `sengen --help` is in docs/operations.md, and
# the README gives the Quick start commands.
add_test(NAME docs.settings_are_documented
         COMMAND ${PROJECT_SOURCE_DIR}/tests/support/check-docs.sh $<TARGET_FILE:sengen> ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.settings_are_documented PROPERTIES LABELS docs TIMEOUT 30)

# The repository stands on its own: nothing in it points at documents outside it.
add_test(NAME docs.repository_stands_alone
         COMMAND ${PROJECT_SOURCE_DIR}/tests/support/check-self-contained.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.repository_stands_alone PROPERTIES LABELS docs TIMEOUT 120)

# The security requirements map stays honest: every ASVS 5.0 level 1 and 2 requirement has one row
# in docs/security.md, and every test it cites exists (tests/support/check-security-map.py).
add_test(NAME docs.security_map
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-security-map.py ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.security_map PROPERTIES LABELS docs TIMEOUT 30)
# The time frames for fixing vulnerable components stay written, one per severity
# (tests/support/check-patch-time-frames.py; docs/security.md, V15.1.1).
add_test(NAME docs.patch_time_frames
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-patch-time-frames.py ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.patch_time_frames PROPERTIES LABELS docs TIMEOUT 30)

# No page or mail gives advice about subsidies: among the templates, the messages, the content pages
# show and the texts drawn into badges and PDFs, only the subsidy catalogue's pages and messages
# (subsidies.*) name programmes (the operator profile and the catalogue itself are not checked), and
# no line anywhere says this registry's ID can be used (tests/support/check-no-subsidy-advice.py; its
# rules are tested on made-up trees by the second test).
add_test(NAME docs.no_subsidy_advice
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-no-subsidy-advice.py ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.no_subsidy_advice PROPERTIES LABELS docs TIMEOUT 30)
add_test(NAME docs.no_subsidy_advice_rules
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-no-subsidy-advice-test.py)
set_tests_properties(docs.no_subsidy_advice_rules PROPERTIES LABELS docs TIMEOUT 60)
# The API description is valid OpenAPI: Redocly CLI's recommended rules, every warning an error
# (docs/api/redocly.yaml). scripts/install-deps.sh test installs the CLI with the browser-test
# npm packages (tests/e2e/package-lock.json pins it).
add_test(NAME docs.openapi_lint
         COMMAND ${PROJECT_SOURCE_DIR}/tests/e2e/node_modules/.bin/redocly lint --config
                 ${PROJECT_SOURCE_DIR}/docs/api/redocly.yaml ${PROJECT_SOURCE_DIR}/docs/api/openapi.yaml)
set_tests_properties(docs.openapi_lint PROPERTIES LABELS docs TIMEOUT 60 ENVIRONMENT
                     "REDOCLY_TELEMETRY=off;REDOCLY_SUPPRESS_UPDATE_NOTICE=true")

# One word for one thing in what users read (tests/support/check-wording.py says which), the current
# terms of use included; earlier terms versions stay as agreed. Its rules are tested on made-up trees
# by the second test.
add_test(NAME docs.wording COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-wording.py
                                   ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.wording PROPERTIES LABELS docs TIMEOUT 30)
add_test(NAME docs.wording_rules COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/support/check-wording-test.py)
set_tests_properties(docs.wording_rules PROPERTIES LABELS docs TIMEOUT 60)
