// The window's Chinese: one entry per English string the window shows (ui_text.hpp). A
// printf-style string keeps its conversions, in the same order (a test holds this); an ImGui
// label keeps its "##id" or "###id" tail, so a widget is the same widget in both languages.
#include "app/gui/text/ui_text.hpp"

#include <array>

namespace eps::gui {
namespace {

constexpr std::array kTable = {
    Translation{"File", "文件"},
    Translation{"View", "视图"},
    Translation{"Reset (R)", "重置 (R)"},
    // A lesson that traces a bundled example (panels/example_panels.cpp).
    Translation{"no example running (play a step)", "没有示例在运行（请播放一步）"},
    Translation{"tracing %s", "正在追踪 %s"},
    Translation{"Traced example###knobs", "被追踪的示例###knobs"},
    Translation{"A program of its own (assets/examples/), run under strace as `epollscope "
                "--trace -- PROGRAM` runs one. The engine takes no part: its knobs do not apply "
                "here.",
                "一个独立的程序（assets/examples/），在 strace 下运行，就像 `epollscope --trace -- "
                "PROGRAM` 那样。引擎不参与：它的旋钮在这里不起作用。"},
    Translation{"Kernel view###kernel", "内核视图###kernel"},
    Translation{"The example's sockets, sampled while it sleeps in epoll_wait:",
                "示例程序的 socket，在它睡在 epoll_wait 里时采样："},
    Translation{"each sample is a 'queues fd N' line in the event log and a bar of bytes in the "
                "kernel on the socket's lane; a stranding says 'measured from a sample'.",
                "每次采样是事件日志里的一行“queues fd N”，也是该 socket 泳道上一条“内核中的字节”"
                "；搁浅会注明“采样测得”。"},
};

}  // namespace

std::span<const Translation> chineseTable() {
  return kTable;
}

}  // namespace eps::gui
