# The layering check (core/layering_check.cmake) on a copy of the tree: the copy as it is
# passes; each planted include that breaks a folder's rule (a folder it may not use, a header
# internal to another folder, a library it does not link) fails the check, naming the file,
# the line and the rule. Run by ctest (tests/CMakeLists.txt):
#   cmake -DSOURCE=<tree> -DMANIFEST=<build>/layering.manifest -DWORK=<dir> -P this file
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(check_copy out_result out_text)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${WORK}/tree -DMANIFEST=${MANIFEST}
            -P ${SOURCE}/core/layering_check.cmake
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${out_result} ${result} PARENT_SCOPE)
  set(${out_text} "${output}" PARENT_SCOPE)
endfunction()

function(fresh_copy)
  file(REMOVE_RECURSE ${WORK}/tree)
  file(COPY ${SOURCE}/core ${SOURCE}/app DESTINATION ${WORK}/tree)
endfunction()

fresh_copy()
check_copy(result text)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the tree as it is breaks the layering:\n${text}")
endif()

# name | file to plant in | the line planted | what the check must say
set(cases
  "a subsystem reaching up|core/base/names.cpp|#include \"core/engine/engine.hpp\"|base may include only from core/base"
  "core reaching into the app|core/formats/export.cpp|#include \"app/gui/state/window.hpp\"|formats may include only from"
  "a library the folder does not link|core/engine/loop.cpp|#include <toml++/toml.hpp>|engine does not link the library of <toml++/toml.hpp>"
  "the command line reaching into the window|app/cli/headless.cpp|#include \"app/gui/state/window.hpp\"|cli may include only from"
  "an engine internal used from outside the engine|core/runner/lesson_runner.cpp|#include \"core/engine/gate.hpp\"|gate.hpp is internal to core/engine (its public headers: engine.hpp)"
  "a panel reaching into the timeline|app/gui/panels/toolbar.cpp|#include \"app/gui/timeline/view.hpp\"|gui_panels may include only from"
  "a folder no rule names|core/stray/planted.cpp|#include \"core/base/names.hpp\"|core/stray: a folder of sources with no rule")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" fields "${case}")
  list(GET fields 0 name)
  list(GET fields 1 file)
  list(GET fields 2 line)
  list(GET fields 3 expected)
  fresh_copy()
  file(APPEND ${WORK}/tree/${file} "${line}\n")
  check_copy(result text)
  if(result EQUAL 0)
    message(FATAL_ERROR "${name}: planting '${line}' in ${file} passed the check")
  endif()
  string(FIND "${text}" "${expected}" at)
  if(at LESS 0)
    message(FATAL_ERROR "${name}: the check failed without saying '${expected}':\n${text}")
  endif()
  message(STATUS "${name}: refused")
endforeach()
file(REMOVE_RECURSE ${WORK})
