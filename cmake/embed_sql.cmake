# Embeds SQL files into C++ at build time, so the binary carries its statements and migrations.
#   returns_embed_sql(OUTPUT file.cc VARIABLE kName ROOT dir FILES a.sql b.sql)
# produces `const std::vector<returns::EmbeddedSql> kName` in namespace returns::embedded, one
# entry per file, named by its path below ROOT without ".sql", in sorted order.
set(RETURNS_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_sql_script.cmake)

function(returns_embed_sql)
  cmake_parse_arguments(E "" "OUTPUT;VARIABLE;ROOT" "FILES" ${ARGN})
  list(SORT E_FILES)
  string(REPLACE ";" "|" files_arg "${E_FILES}")
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DVARIABLE=${E_VARIABLE} -DROOT=${E_ROOT}
            "-DFILES=${files_arg}" -P ${RETURNS_EMBED_SCRIPT}
    DEPENDS ${E_FILES} ${RETURNS_EMBED_SCRIPT}
    COMMENT "embedding SQL into ${E_OUTPUT}"
    VERBATIM)
endfunction()
