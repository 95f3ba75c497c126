# The ★★ toolkit against the real binary on loopback: saved self-assessments and their comparison,
# the basic security policy (editor, publishing, public pages, PDF and text), and using both for
# ★★ when applying or stepping up. Each test_<area>.py is one CTest test, toolkit.<area>; sign-in
# goes through the real mail link (toolkit_flow.py).
sengen_python_tests(toolkit ${CMAKE_CURRENT_LIST_DIR} 240)
