# Public verification, search and the JSON API against the real binary on loopback: each
# test_<area>.py is one CTest test, verify.<area>. Declarations are made through the real flows
# (registry_flow.py: apply and confirm through the API, the token read from the mail file).
sengen_python_tests(verify ${CMAKE_CURRENT_LIST_DIR} 240)
