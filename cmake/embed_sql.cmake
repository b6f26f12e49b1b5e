# Embeds SQL files into C++ at build time, so the binary carries its statements and migrations.
#   returns_embed_sql(OUTPUT file.cc ROOT dir VARIABLE kName FILES a.sql b.sql
#                     [VARIABLE kOther FILES c.sql ...] [HEADER statements.h])
# produces, for each VARIABLE, `const std::vector<returns::EmbeddedSql> kName` in namespace
# returns::embedded (declared extern in the file too, so no header must declare it first), one
# entry per file of the FILES that follow that VARIABLE, named by its path below ROOT without
# ".sql", in sorted order; a VARIABLE without files is an empty vector. With HEADER, also a header
# with one storage::Statement constant per file, in namespace returns::sql: "returns/insert_return"
# is sql::kReturnsInsertReturn (storage/statement.h).
set(RETURNS_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_sql_script.cmake)

function(returns_embed_sql)
  set(output "")
  set(root "")
  set(header "")
  set(variables "")
  set(keyword "")
  set(variable "")
  foreach(arg IN LISTS ARGN)
    if(arg STREQUAL "OUTPUT" OR arg STREQUAL "ROOT" OR arg STREQUAL "HEADER" OR arg STREQUAL "VARIABLE"
       OR arg STREQUAL "FILES")
      set(keyword ${arg})
    elseif(keyword STREQUAL "OUTPUT")
      set(output ${arg})
    elseif(keyword STREQUAL "ROOT")
      set(root ${arg})
    elseif(keyword STREQUAL "HEADER")
      set(header ${arg})
    elseif(keyword STREQUAL "VARIABLE")
      set(variable ${arg})
      list(APPEND variables ${arg})
      set(files_${arg} "")
    elseif(keyword STREQUAL "FILES" AND NOT variable STREQUAL "")
      list(APPEND files_${variable} ${arg})
    else()
      message(FATAL_ERROR "returns_embed_sql: unexpected argument \"${arg}\" (FILES before VARIABLE?)")
    endif()
  endforeach()
  if(output STREQUAL "" OR root STREQUAL "" OR variables STREQUAL "")
    message(FATAL_ERROR "returns_embed_sql: OUTPUT, ROOT and at least one VARIABLE are required")
  endif()
  set(all_files "")
  set(file_defines "")
  foreach(v IN LISTS variables)
    list(SORT files_${v})
    list(APPEND all_files ${files_${v}})
    string(REPLACE ";" "|" files_arg "${files_${v}}")
    list(APPEND file_defines "-DFILES_${v}=${files_arg}")
  endforeach()
  string(REPLACE ";" "|" variables_arg "${variables}")
  add_custom_command(
    OUTPUT ${output} ${header}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DROOT=${root} -DHEADER=${header}
            "-DVARIABLES=${variables_arg}" ${file_defines} -P ${RETURNS_EMBED_SCRIPT}
    DEPENDS ${all_files} ${RETURNS_EMBED_SCRIPT}
    COMMENT "embedding SQL into ${output}"
    VERBATIM)
endfunction()
