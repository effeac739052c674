# candor_embed(TARGET NAME FUNCTION ns::fn FILES a b ...) compiles the listed files into a
# static library that exposes them as `std::span<const EmbeddedFile> ns::fn()`, sorted by
# file name. Migrations and templates live in the binary so that `candor` runs from any
# working directory and a deployment is one file.
function(candor_embed)
  cmake_parse_arguments(ARG "" "TARGET;FUNCTION;HEADER" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}_embedded.cc")
  set(abs_files)
  foreach(f IN LISTS ARG_FILES)
    get_filename_component(a "${f}" ABSOLUTE)
    list(APPEND abs_files "${a}")
  endforeach()
  list(SORT abs_files)
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DFUNCTION=${ARG_FUNCTION}"
            "-DHEADER=${ARG_HEADER}" "-DFILES=${abs_files}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake"
    DEPENDS ${abs_files} "${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake"
    COMMENT "Embedding ${ARG_TARGET}"
    VERBATIM)
  add_library(${ARG_TARGET} STATIC "${out}")
  target_link_libraries(${ARG_TARGET} PUBLIC candor_core)
endfunction()
