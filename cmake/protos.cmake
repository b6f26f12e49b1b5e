# Generates C++ for every .proto under proto/ (plus gRPC's health.proto, so that reflection can
# describe grpc.health.v1.Health) into the build folder, compiled once into returns_proto.
set(PROTO_ROOT ${CMAKE_SOURCE_DIR}/proto)
set(GRPC_PROTO_ROOT /usr/share/grpc-proto)
set(PROTO_OUT ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${PROTO_OUT})

file(GLOB_RECURSE PROJECT_PROTOS CONFIGURE_DEPENDS ${PROTO_ROOT}/*.proto)
set(HEALTH_PROTO ${GRPC_PROTO_ROOT}/grpc/health/v1/health.proto)

get_target_property(GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)

# returns_generate(PROTO ROOT OUT_VAR): adds the commands that generate PROTO (relative to ROOT)
# and appends the generated .cc files to OUT_VAR.
set(PROTO_SRCS)
function(returns_generate proto root out_var)
  file(RELATIVE_PATH rel ${root} ${proto})
  string(REGEX REPLACE "\\.proto$" "" stem ${rel})
  set(outs ${PROTO_OUT}/${stem}.pb.cc ${PROTO_OUT}/${stem}.pb.h)
  if(proto MATCHES "_service\\.proto$" OR proto MATCHES "health\\.proto$" OR proto MATCHES "reflection\\.proto$")
    list(APPEND outs ${PROTO_OUT}/${stem}.grpc.pb.cc ${PROTO_OUT}/${stem}.grpc.pb.h)
    set(grpc_args --grpc_out=${PROTO_OUT} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
  else()
    set(grpc_args)
  endif()
  add_custom_command(
    OUTPUT ${outs}
    COMMAND protobuf::protoc
    ARGS -I${PROTO_ROOT} -I${GRPC_PROTO_ROOT} --cpp_out=${PROTO_OUT} ${grpc_args} ${proto}
    DEPENDS ${proto} protobuf::protoc
    COMMENT "protoc ${rel}"
    VERBATIM)
  list(FILTER outs INCLUDE REGEX "\\.cc$")
  set(${out_var} ${${out_var}} ${outs} PARENT_SCOPE)
endfunction()

foreach(p ${PROJECT_PROTOS})
  returns_generate(${p} ${PROTO_ROOT} PROTO_SRCS)
endforeach()
returns_generate(${HEALTH_PROTO} ${GRPC_PROTO_ROOT} PROTO_SRCS)

add_library(returns_proto STATIC ${PROTO_SRCS})
target_include_directories(returns_proto PUBLIC ${PROTO_OUT})
target_link_libraries(returns_proto PUBLIC protobuf::libprotobuf gRPC::grpc++)
# Generated code is not ours to lint.
set_target_properties(returns_proto PROPERTIES CXX_CLANG_TIDY "")
