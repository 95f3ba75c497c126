# The transparency log from outside: the log subcommands of the real binary, checked with the
# standard library and the openssl command alone, as docs/trust.md asks an outside verifier to.
# Each test_<area>.py is one CTest test, tlog.<area>.
sengen_python_tests(tlog ${CMAKE_CURRENT_LIST_DIR} 120)
