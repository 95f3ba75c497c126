# Warnings for the project's own targets; third-party headers are included as SYSTEM.
add_library(sengen_warnings INTERFACE)
target_compile_options(sengen_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
if(SENGEN_WARNINGS_AS_ERRORS)
  target_compile_options(sengen_warnings INTERFACE -Werror)
endif()
