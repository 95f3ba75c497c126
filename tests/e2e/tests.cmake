# Browser tests: each tests/e2e/tests/<name>.test.js runs under node's test runner, drives
# Debian's Chromium through playwright-core against its own sengen, and is one CTest test,
# e2e.<name>. scripts/install-deps.sh test installs the pinned npm packages (npm ci).
# Full-page screenshots of every page a journey visits are taken only when SENGEN_SCREENSHOTS
# names a directory in CTest's environment (e.g. SENGEN_SCREENSHOTS=$PWD/build/asan/screenshots
# ctest --preset asan -L e2e): nothing compares them, and in one suite measured they took a seventh
# of its time.
find_program(SENGEN_NODE node REQUIRED)
file(GLOB SENGEN_E2E_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/tests/*.test.js)
foreach(test_file IN LISTS SENGEN_E2E_TESTS)
  get_filename_component(name ${test_file} NAME)
  string(REGEX REPLACE "\\.test\\.js$" "" name ${name})
  add_test(NAME e2e.${name}
           COMMAND ${CMAKE_COMMAND} -E env SENGEN_BINARY=$<TARGET_FILE:sengen> ${SENGEN_NODE} --test --test-reporter=spec ${test_file}
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  # One browser at a time: Chromium is the heaviest thing on a 2-core machine. These tests then
  # form one chain longer than all the others together, so a high COST makes CTest start them
  # first (on a fresh build it has no timings of its own) and the chain runs beside the rest
  # instead of after the unit tests.
  set_tests_properties(e2e.${name} PROPERTIES LABELS e2e TIMEOUT 300 RESOURCE_LOCK chromium COST 1000)
endforeach()
