# Rendering libraries for the declaration badge (src/render/badge.cpp): pango + cairo for text and
# PNG, libqrencode for the verification QR code. The BADGE_ prefixes keep these imported targets
# apart from any other area's lookups of the same modules. Included after src/ so sengen_core
# exists; cairo is PUBLIC because the badge tests decode PNGs with it.
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::BADGE_CAIRO)
  pkg_check_modules(BADGE_CAIRO REQUIRED IMPORTED_TARGET pangocairo cairo cairo-svg cairo-png)
endif()
if(NOT TARGET PkgConfig::BADGE_QRENCODE)
  pkg_check_modules(BADGE_QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
endif()
target_link_libraries(sengen_core PUBLIC PkgConfig::BADGE_CAIRO PRIVATE PkgConfig::BADGE_QRENCODE)
