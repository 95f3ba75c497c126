# The ★★ toolkit against the real binary on loopback: saved self-assessments and their comparison,
# the basic security policy (editor, publishing, public pages, PDF and text), and using both for
# ★★ when applying or stepping up. Each test_<area>.py is one CTest test, toolkit.<area>; sign-in
# goes through the real mail link (toolkit_flow.py).
file(GLOB SENGEN_TOOLKIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
foreach(test_file IN LISTS SENGEN_TOOLKIT_TESTS)
  get_filename_component(area ${test_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" area ${area})
  add_test(NAME toolkit.${area}
           COMMAND /usr/bin/python3 -B ${PROJECT_SOURCE_DIR}/tests/support/run_unittest.py $<TARGET_FILE:sengen>
                   ${test_file})
  set_tests_properties(toolkit.${area} PROPERTIES LABELS integration TIMEOUT 240)
endforeach()
