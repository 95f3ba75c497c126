# Black-box HTTP tests: each test_<area>.py runs the real sengen binary on loopback
# (tests/support/sengen_server.py) and is one CTest test, web.<area>.
file(GLOB SENGEN_WEB_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
foreach(test_file IN LISTS SENGEN_WEB_TESTS)
  get_filename_component(area ${test_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" area ${area})
  add_test(NAME web.${area}
           COMMAND /usr/bin/python3 -B ${PROJECT_SOURCE_DIR}/tests/support/run_unittest.py $<TARGET_FILE:sengen>
                   ${test_file})
  set_tests_properties(web.${area} PROPERTIES LABELS integration TIMEOUT 180)
endforeach()
