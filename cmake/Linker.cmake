# The linker: LLVM's lld when it is installed (scripts/install-deps.sh installs it), else the
# compiler's default (GNU ld). Linking the debug binaries is a large part of a build: measured on
# unit_tests, lld took 1.4 s of CPU where GNU ld took 6.5 s, and a build links sixteen such
# binaries (docs/adr/0045-link-with-lld.md). SENGEN_LINKER=default keeps GNU ld.
set(SENGEN_LINKER "lld" CACHE STRING "The linker: lld (when installed) or default")
if(SENGEN_LINKER STREQUAL "lld")
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=lld" SENGEN_HAS_LLD)
  if(SENGEN_HAS_LLD)
    add_link_options(-fuse-ld=lld)
  else()
    message(STATUS "lld not found: linking with the compiler's default linker")
  endif()
endif()
