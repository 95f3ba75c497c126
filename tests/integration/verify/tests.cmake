# Public verification, search and the JSON API against the real binary on loopback: each
# test_<area>.py is one CTest test, verify.<area>. Declarations are made through the real flows
# (registry_flow.py: apply and confirm through the API, the token read from the mail file).
file(GLOB SENGEN_VERIFY_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
foreach(test_file IN LISTS SENGEN_VERIFY_TESTS)
  get_filename_component(area ${test_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" area ${area})
  add_test(NAME verify.${area}
           COMMAND /usr/bin/python3 -B ${PROJECT_SOURCE_DIR}/tests/support/run_unittest.py $<TARGET_FILE:sengen>
                   ${test_file})
  set_tests_properties(verify.${area} PROPERTIES LABELS integration TIMEOUT 240)
endforeach()
