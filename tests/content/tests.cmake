# The shipped subsidy catalogue passes the same check operators run on their own copies
# (`sengen catalogue check`: exit 0 when it loads, 1 with one line per problem).
add_test(NAME content.subsidy_catalogue_check COMMAND $<TARGET_FILE:sengen> catalogue check
                                                      ${PROJECT_SOURCE_DIR}/content/subsidies.toml)
set_tests_properties(content.subsidy_catalogue_check PROPERTIES LABELS docs TIMEOUT 30)
