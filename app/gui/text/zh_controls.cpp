// The Chinese of the window's controls: the toolbar, the File popup, the View menu, the
// lesson panel's own words, the engine's knobs and the built-in clients (zh_table_parts.hpp).
#include <array>

#include "app/gui/text/zh_table_parts.hpp"

namespace eps::gui {
namespace {

constexpr std::array kControls = {
    // The toolbar (panels/toolbar.cpp) and what the engine is doing.
    Translation{"Run (P)", "运行 (P)"},
    Translation{"Pause (P)", "暂停 (P)"},
    Translation{"Step call (S)", "单步调用 (S)"},
    Translation{"Step wakeup (Space)", "单步唤醒 (Space)"},
    Translation{"Reset (R)", "重置 (R)"},
    Translation{"File", "文件"},
    Translation{"View", "视图"},
    Translation{"pace ms", "节拍 ms"},
    Translation{"copy", "复制"},
    Translation{"connect with: %s", "用这条命令连接：%s"},
    Translation{"%llu calls", "%llu 次调用"},
    Translation{"stopped", "已停止"},
    Translation{"starting", "启动中"},
    Translation{"running", "运行中"},
    Translation{"paused", "已暂停"},
    Translation{"stepping", "单步中"},
    Translation{"paused before %s", "暂停在 %s 之前"},
    Translation{"asleep in %s for %.1f s", "在 %s 中睡眠了 %.1f 秒"},
    Translation{"in %s", "正在 %s 中"},
    Translation{"dropped: %llu oldest (retention cap), %llu (trace rings full)",
                "已丢弃：最旧的 %llu 个（保留上限），%llu 个（追踪环形缓冲区已满）"},
    Translation{"read bytes: %llu oldest dropped (%zu MB kept)",
                "读到的字节：丢弃最旧的 %llu 份（保留 %zu MB）"},
    // The View menu.
    Translation{"font (Ctrl +/-)", "字号 (Ctrl +/-)"},
    Translation{"high contrast", "高对比度"},
    Translation{"full screen", "全屏"},
    Translation{"legend on the timeline", "在时间线上显示图例"},
    Translation{"\u4e2d\u6587 (Chinese)", "中文"},
    // The File popup (panels/file_popup.cpp).
    Translation{"Open a saved session, an strace log (strace -f -ttt -T -yy) or a tour:",
                "打开保存的会话、strace 日志（strace -f -ttt -T -yy）或导览："},
    Translation{"Open", "打开"},
    Translation{"Tours of real servers:", "真实服务器的导览："},
    Translation{"Trace a program (its command line; quotes as in a shell, no shell):",
                "追踪一个程序（它的命令行；引号同 shell，但不经过 shell）："},
    Translation{"Trace", "追踪"},
    Translation{"Attach to a process (PID; detaching leaves it running):",
                "附加到一个进程（PID；分离后它继续运行）："},
    Translation{"Attach", "附加"},
    Translation{"Export what the timeline holds:", "导出时间线上的内容："},
    Translation{"Chrome JSON", "Chrome JSON 格式"},
    Translation{"CSV of calls", "调用的 CSV"},
    Translation{"Save the session (trace, knobs, lesson position, client counters):",
                "保存会话（追踪、旋钮、课程进度、客户端计数）："},
    Translation{"Save session", "保存会话"},
    Translation{"opening %s ...", "正在打开 %s ……"},
    // The status line (state/frame.cpp shownStatus).
    Translation{"opening %s", "正在打开 %s"},
    Translation{"opened %s", "已打开 %s"},
    Translation{"wrote %s", "已写入 %s"},
    Translation{"still opening %s", "仍在打开 %s"},
    Translation{"cannot start the engine again: %s", "无法再次启动引擎：%s"},
    Translation{"cannot load the lesson: %s", "无法载入这一课：%s"},
    Translation{"cannot start the lesson: %s", "无法开始这一课：%s"},
    Translation{"cannot open the file: %s", "无法打开文件：%s"},
    Translation{"Trace a program: %s", "追踪程序：%s"},
    Translation{"wait for the lesson's step to finish", "请等这一课的当前步骤结束"},
    Translation{"no program given", "没有给出程序"},
    // The lesson panel (panels/lesson_panel.cpp); the lessons carry their own Chinese.
    Translation{"choose a lesson", "选择一课"},
    Translation{"the step could not be played: %s", "这一步没能运行完：%s"},
    Translation{"free play", "自由练习"},
    Translation{"Predict first:", "先预测："},
    Translation{"Lock my answer", "锁定答案"},
    Translation{"Locked. Run the step: the answer comes with its checks.",
                "已锁定。运行这一步：答案和检查结果一起揭晓。"},
    Translation{"Your prediction was right.", "你的预测对了。"},
    Translation{"Not quite: your prediction was", "不完全对：你的预测是"},
    Translation{"The answer: %s", "答案：%s"},
    Translation{"< previous", "< 上一步"},
    Translation{"run this step >", "运行这一步 >"},
    Translation{"restart", "重新开始"},
    Translation{"the engine is running the step...", "引擎正在运行这一步……"},
    Translation{"answer the question below first", "先回答下面的问题"},
    Translation{"Played on two engines side by side: A %s, B %s",
                "在两个引擎上并排播放：A 是 %s，B 是 %s"},
    Translation{"Show side by side", "并排显示"},
    Translation{"Step %zu / %zu: %s", "第 %zu / %zu 步：%s"},
    Translation{"checks of step %zu", "第 %zu 步的检查"},
    Translation{"End of the lesson.", "本课结束。"},
    Translation{"The engine was still spinning (busy loop): paused so the lesson stays on the "
                "timeline. Press Run (P) to watch it spin.",
                "引擎还在空转（忙循环）：已暂停，让这一课留在时间线上。按运行（P）看它空转。"},
    Translation{"Free play: drive the engine with the knobs and the clients. Choose a lesson "
                "above to be walked through one.",
                "自由练习：用旋钮和客户端驱动引擎。在上面选一课，跟着一步步学。"},
    // The engine's knobs (panels/knobs_panel.cpp); their help is in zh_events.cpp.
    Translation{"Engine knobs###knobs", "引擎旋钮###knobs"},
    Translation{"(queued)", "（排队中）"},
    // The built-in clients (panels/clients_panel.cpp).
    Translation{"Clients###clients", "客户端###clients"},
    Translation{"add client", "添加客户端"},
    Translation{"client", "客户端"},
    Translation{"sent", "已发送"},
    Translation{"echoed", "已回显"},
    Translation{"waiting", "等待中"},
    Translation{"lost", "丢失"},
    Translation{"state", "状态"},
    Translation{"port", "端口"},
    Translation{"mismatched", "不符"},
    Translation{"select a client to drive it", "选择一个客户端来驱动它"},
    Translation{"client #%d", "客户端 #%d"},
    Translation{"send bytes", "发送字节"},
    Translation{"send text", "发送文本"},
    Translation{"B every###every", "字节，每###every"},
    Translation{"ms###trickle-ms", "毫秒###trickle-ms"},
    Translation{"trickle", "涓流发送"},
    Translation{"stop", "停止"},
    Translation{"stop reading", "停止读取"},
    Translation{"resume reading", "恢复读取"},
    Translation{"shutdown write", "关闭写端"},
    Translation{"close", "关闭"},
    Translation{"reset (RST)", "重置连接 (RST)"},
    Translation{"external clients", "外部客户端"},
    Translation{"fd %d  %s  %lld bytes waiting", "fd %d  %s  %lld 字节在等待"},
    Translation{"closed", "已关闭"},
    Translation{"connected", "已连接"},
    Translation{"connecting", "连接中"},
    Translation{"reset by peer", "被对端重置"},
    Translation{"eof", "文件结束"},
    Translation{"not reading", "未在读取"},
    Translation{"open", "打开着"},
    // A lesson that traces a bundled example (panels/example_panels.cpp).
    Translation{"no example running (play a step)", "没有示例在运行（请播放一步）"},
    Translation{"tracing %s", "正在追踪 %s"},
    Translation{"Traced example###knobs", "被追踪的示例###knobs"},
    Translation{"A program of its own (assets/examples/), run under strace as `epollscope "
                "--trace -- PROGRAM` runs one. The engine takes no part: its knobs do not apply "
                "here.",
                "一个独立的程序（assets/examples/），在 strace 下运行，就像 `epollscope --trace -- "
                "PROGRAM` 那样。引擎不参与：它的旋钮在这里不起作用。"},
    Translation{"The example's sockets, sampled while it sleeps in epoll_wait:",
                "示例程序的 socket，在它睡在 epoll_wait 里时采样："},
    Translation{"each sample is a 'queues fd N' line in the event log and a bar of bytes in the "
                "kernel on the socket's lane; a stranding says 'measured from a sample'.",
                "每次采样是事件日志里的一行“queues fd N”，也是该 socket 泳道上一条“内核中的字节”"
                "；搁浅会注明“采样测得”。"},
};

}  // namespace

std::span<const Translation> chineseControls() {
  return kControls;
}

}  // namespace eps::gui
