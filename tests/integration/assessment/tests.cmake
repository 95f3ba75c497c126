# The self-assessment over HTTP: the real binary on loopback, driven by Python's standard library.
# One CTest entry per group, each with its own server and database.
set(_assessment_py ${CMAKE_CURRENT_LIST_DIR}/assessment_http_test.py)
foreach(group IN ITEMS Questionnaire Result Api NoInlineStyleOrScript)
  add_test(NAME integration.assessment.${group}
           COMMAND /usr/bin/python3 ${_assessment_py} $<TARGET_FILE:sengen>
                   ${PROJECT_SOURCE_DIR}/content/assessment/2023.toml ${group})
  set_tests_properties(integration.assessment.${group} PROPERTIES LABELS integration TIMEOUT 180)
endforeach()
