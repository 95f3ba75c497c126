# sengen_embed(TARGET name PREFIX dir FILES f1 f2 ...) compiles files into the binary, so one
# executable carries its templates, catalogues, static assets, migrations and content.
# At run time sengen::embedded::find("prefix/relative/path") returns the bytes.
function(sengen_embed target)
  cmake_parse_arguments(E "" "BASE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp)
  set(deps)
  foreach(f IN LISTS E_FILES)
    list(APPEND deps ${E_BASE}/${f})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE=${E_BASE} "-DFILES=${E_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake
    COMMENT "Embedding ${target} files"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
