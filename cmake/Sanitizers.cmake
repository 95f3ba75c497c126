# ASan + UBSan for every target when SENGEN_SANITIZE is on (the `asan` preset).
if(SENGEN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
