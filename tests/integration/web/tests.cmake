# Black-box HTTP tests: each test_<area>.py runs the real sengen binary on loopback
# (tests/support/sengen_server.py) and is one CTest test, web.<area>.
sengen_python_tests(web ${CMAKE_CURRENT_LIST_DIR} 180)
