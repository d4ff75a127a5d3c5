# The subsystems of core/ and the rule between them: one folder, one static library, and the
# library's DEPS are all it may use. A subsystem reaches what its DEPS reach, and nothing else:
# no arrow runs back up. The rule is checked at build time: every `#include "core/..."` and
# every third-party header of every file in a folder is compared with what the folder may use
# (core/layering_check.cmake), and a wrong include fails the build naming the file, the line
# and the rule. The app's folders take part the same way (app/CMakeLists.txt).

# The third-party libraries a subsystem may name in LIBS, and the headers each one brings.
set_property(GLOBAL PROPERTY EPOLLSCOPE_LIB_HEADERS
  "nlohmann_json::nlohmann_json=nlohmann/"
  "tomlplusplus::tomlplusplus=toml++/"
  "CLI11::CLI11=CLI/"
  "PkgConfig::IMGUI=imgui"
  "PkgConfig::STB=stb_"
  "glfw=GLFW/"
  "epollscope_glad=glad/")

# epollscope_folder(NAME DIR SOURCES... [DEPS subsystem...] [LIBS target...])
# Records the folder's rule. DEPS are other folders' names, LIBS third-party targets.
function(epollscope_folder name dir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "DEPS;LIBS")
  set_property(GLOBAL APPEND PROPERTY EPOLLSCOPE_FOLDERS ${name})
  set_property(GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DIR_${name} ${dir})
  set_property(GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DEPS_${name} ${arg_DEPS})
  set_property(GLOBAL PROPERTY EPOLLSCOPE_FOLDER_LIBS_${name} ${arg_LIBS})
endfunction()

# epollscope_subsystem(NAME [RULE_ONLY] [PUBLIC header...] [DEPS subsystem...] [LIBS target...]):
# core/NAME/*.cpp as the static library epollscope_NAME, linked to its DEPS and LIBS, and its
# rule recorded. PUBLIC: the only headers other folders may include (without it, all are);
# the rest are the subsystem's own. RULE_ONLY records the rule of a folder this build does
# not compile (the fuzz build's).
function(epollscope_subsystem name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "RULE_ONLY" "" "PUBLIC;DEPS;LIBS")
  epollscope_folder(${name} core/${name} DEPS ${arg_DEPS} LIBS ${arg_LIBS})
  set_property(GLOBAL PROPERTY EPOLLSCOPE_FOLDER_PUBLIC_${name} ${arg_PUBLIC})
  if(arg_RULE_ONLY)
    return()
  endif()
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/${name})
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  file(GLOB headers CONFIGURE_DEPENDS ${dir}/*.hpp)
  add_library(epollscope_${name} STATIC ${sources} ${headers})
  target_include_directories(epollscope_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  set(deps)
  foreach(dep IN LISTS arg_DEPS)
    list(APPEND deps epollscope_${dep})
  endforeach()
  target_link_libraries(epollscope_${name} PUBLIC ${deps} ${arg_LIBS} Threads::Threads
                                           PRIVATE epollscope_warnings)
endfunction()

# Writes every folder's rule to one manifest and checks it at build time: the target
# `epollscope_layering` runs before any library is compiled.
function(epollscope_layering_check)
  get_property(EPOLLSCOPE_LIB_HEADERS GLOBAL PROPERTY EPOLLSCOPE_LIB_HEADERS)
  get_property(folders GLOBAL PROPERTY EPOLLSCOPE_FOLDERS)
  set(manifest "")
  set(all_files "")
  foreach(name IN LISTS folders)
    get_property(dir GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DIR_${name})
    get_property(libs GLOBAL PROPERTY EPOLLSCOPE_FOLDER_LIBS_${name})
    _epollscope_reach(${name} reach)
    set(allowed_libs "")
    foreach(folder IN LISTS reach)
      get_property(more GLOBAL PROPERTY EPOLLSCOPE_FOLDER_LIBS_${folder})
      list(APPEND libs ${more})
    endforeach()
    foreach(lib IN LISTS libs)
      foreach(entry IN LISTS EPOLLSCOPE_LIB_HEADERS)
        string(REPLACE "=" ";" pair "${entry}")
        list(GET pair 0 target)
        list(GET pair 1 prefix)
        if(target STREQUAL lib)
          list(APPEND allowed_libs ${prefix})
        endif()
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES allowed_libs)
    set(dirs "")
    foreach(folder IN LISTS reach)
      get_property(folder_dir GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DIR_${folder})
      list(APPEND dirs ${folder_dir})
    endforeach()
    file(GLOB files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.cpp
                                      ${PROJECT_SOURCE_DIR}/${dir}/*.hpp)
    list(APPEND all_files ${files})
    string(JOIN "," dirs_text ${dir} ${dirs})
    string(JOIN "," libs_text ${allowed_libs})
    string(APPEND manifest "folder|${name}|${dir}|${dirs_text}|${libs_text}\n")
    get_property(public GLOBAL PROPERTY EPOLLSCOPE_FOLDER_PUBLIC_${name})
    if(public)
      string(JOIN "," public_text ${public})
      string(APPEND manifest "public|${dir}|${public_text}\n")
    endif()
  endforeach()
  set(prefixes "")
  foreach(entry IN LISTS EPOLLSCOPE_LIB_HEADERS)
    string(REGEX REPLACE "^[^=]*=" "" prefix "${entry}")
    list(APPEND prefixes ${prefix})
  endforeach()
  string(JOIN "," prefixes_text ${prefixes})
  string(APPEND manifest "thirdparty|${prefixes_text}\n")
  set(path ${PROJECT_BINARY_DIR}/layering.manifest)
  file(WRITE ${path}.new "${manifest}")
  file(COPY_FILE ${path}.new ${path} ONLY_IF_DIFFERENT)
  set(stamp ${PROJECT_BINARY_DIR}/layering.stamp)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${PROJECT_SOURCE_DIR} -DMANIFEST=${path}
            -P ${PROJECT_SOURCE_DIR}/core/layering_check.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${all_files} ${path} ${PROJECT_SOURCE_DIR}/core/layering_check.cmake
    COMMENT "Checking that every folder includes only what it may use" VERBATIM)
  add_custom_target(epollscope_layering ALL DEPENDS ${stamp})
  foreach(name IN LISTS folders)
    if(TARGET epollscope_${name})
      add_dependencies(epollscope_${name} epollscope_layering)
    endif()
  endforeach()
endfunction()

# The folders `name` may use: its DEPS and everything they may use.
function(_epollscope_reach name out)
  set(result "")
  get_property(todo GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DEPS_${name})
  while(todo)
    list(POP_FRONT todo next)
    if(NOT next IN_LIST result)
      list(APPEND result ${next})
      get_property(more GLOBAL PROPERTY EPOLLSCOPE_FOLDER_DEPS_${next})
      list(APPEND todo ${more})
    endif()
  endwhile()
  set(${out} ${result} PARENT_SCOPE)
endfunction()
