# The app's folders and what each may include (core/layering.cmake), declared whatever this
# build compiles (the window only with EPOLLSCOPE_BUILD_GUI, nothing of the app when fuzzing):
# the layering check covers every folder of the tree in every build.
set(EPOLLSCOPE_CORE_FOLDERS base trace checks kernelstate lessons strace clients formats engine timeline
    runner compare)
epollscope_folder(cli app/cli DEPS ${EPOLLSCOPE_CORE_FOLDERS} LIBS CLI11::CLI11)
epollscope_folder(app app DEPS cli gui)
# The window in layers: state/ (the workspace and its modes, the UI state, theme, window,
# the Frame every part draws with), then panels/ and timeline/ (each draws from the state,
# neither uses the other), then gui/ itself (the frame loop, layout, startup, shortcuts).
# text/ (the words in two languages, line breaking) is plain C++ beneath all of them.
set(EPOLLSCOPE_WINDOW_LIBS PkgConfig::IMGUI PkgConfig::STB glfw epollscope_glad)
epollscope_folder(gui_text app/gui/text)
epollscope_folder(gui_state app/gui/state DEPS ${EPOLLSCOPE_CORE_FOLDERS} gui_text
                  LIBS ${EPOLLSCOPE_WINDOW_LIBS})
epollscope_folder(gui_panels app/gui/panels DEPS gui_state gui_text
                  LIBS ${EPOLLSCOPE_WINDOW_LIBS})
epollscope_folder(gui_timeline app/gui/timeline DEPS gui_state gui_text
                  LIBS ${EPOLLSCOPE_WINDOW_LIBS})
epollscope_folder(gui app/gui DEPS cli gui_state gui_panels gui_timeline gui_text
                  LIBS ${EPOLLSCOPE_WINDOW_LIBS})
