# Black-box HTTP tests: each test_<area>.py runs the real sengen binary on loopback
# (tests/support/sengen_server.py) and is one CTest test, web.<area>.
sengen_python_tests(web ${CMAKE_CURRENT_LIST_DIR} 180)
# One case measures the server's memory after a hostile run. ASan keeps freed blocks in quarantine
# (to catch their use after free), which would count as growth; that test's server frees at once.
if(SENGEN_SANITIZE)
  set_tests_properties(web.bounded_answers PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=0")
endif()
