// The Chinese of the words core writes and the window shows: the event lines' phrases and
// the durations (core/trace/event_text.cpp, through its Phrases translator), the sentences that
// explain an event, and the knobs' help (core/base/knobs.cpp). Knob names, values, call names,
// flags and fd numbers are not words: they stay as they are (zh_table_parts.hpp).
#include <array>

#include "app/gui/text/zh_table_parts.hpp"

namespace eps::gui {
namespace {

constexpr std::array kEvents = {
    // Event lines that are not calls (a call is written as strace writes it, in both).
    Translation{"ready fd %d %s", "就绪 fd %d %s"},
    Translation{"sample listener fd %d: accept queue %lld of %lld",
                "采样监听 fd %d：accept 队列 %lld / %lld"},
    Translation{"sample ready list (epoll fd %d): a wakeup is due",
                "采样就绪列表（epoll fd %d）：将有一次唤醒"},
    Translation{"sample ready list (epoll fd %d): empty, epoll_wait will sleep",
                "采样就绪列表（epoll fd %d）：空，epoll_wait 将睡眠"},
    Translation{"sample fd %d: receive queue %lld, send queue %lld",
                "采样 fd %d：接收队列 %lld，发送队列 %lld"},
    Translation{" (wait sampler)", "（等待采样器）"},
    Translation{"possibly stranded fd %d (inferred from the calls): the last accept returned fd "
                "%lld, not EAGAIN, before epoll_wait",
                "fd %d 可能搁浅（由调用推断）：epoll_wait 之前最后一次 accept 返回了 fd "
                "%lld，而不是 EAGAIN"},
    Translation{"possibly stranded fd %d (inferred from the calls): the last read returned %lld "
                "bytes, not EAGAIN, before epoll_wait",
                "fd %d 可能搁浅（由调用推断）：epoll_wait 之前最后一次 read 返回了 %lld "
                "字节，而不是 EAGAIN"},
    Translation{" (measured from a sample)", "（采样测得）"},
    Translation{"stranded fd %d: %lld connections waiting, no wakeup coming",
                "搁浅 fd %d：%lld 个连接在等待，不会有唤醒"},
    Translation{"stranded fd %d: end of file waiting, no wakeup coming",
                "搁浅 fd %d：文件结束在等待，不会有唤醒"},
    Translation{"stranded fd %d: urgent data waiting, no wakeup coming",
                "搁浅 fd %d：紧急数据在等待，不会有唤醒"},
    Translation{"stranded fd %d: %lld bytes waiting, no wakeup coming",
                "搁浅 fd %d：%lld 字节在等待，不会有唤醒"},
    Translation{" (grown by the engine)", "（由引擎增长）"},
    Translation{" (refused: %s)", "（被拒绝：%s）"},
    Translation{"client %u %s", "客户端 %u %s"},
    Translation{" %lld bytes", " %lld 字节"},
    Translation{"client %u got %lld bytes", "客户端 %u 收到 %lld 字节"},
    Translation{" (%lld wrong)", "（%lld 个错误）"},
    Translation{"engine %s", "引擎 %s"},
    Translation{" (the step ended in a busy loop)", "（这一步以忙循环结束）"},
    Translation{"lesson step %lld", "课程第 %lld 步"},
    Translation{"busy fd %d: %lld wakeups found nothing to do (%lld/s)",
                "忙循环 fd %d：%lld 次唤醒无事可做（每秒 %lld 次）"},
    Translation{"busy: %lld wakeups found nothing to do (%lld/s)",
                "忙循环：%lld 次唤醒无事可做（每秒 %lld 次）"},
    Translation{" (inferred)", "（推断）"},
    Translation{"blocked: %s(%d) stalled the loop for %lld ms",
                "阻塞：%s(%d) 让事件循环停滞了 %lld ms"},
    Translation{"execve closed fd %d (close-on-exec)", "execve 关闭了 fd %d（close-on-exec）"},
    Translation{"herd on listener fd %d: %lld other thread woken for one connection found "
                "nothing to accept (inferred)",
                "监听 fd %d 上的惊群：为一个连接唤醒的另外 %lld 个线程无连接可 accept（推断）"},
    Translation{"herd on listener fd %d: %lld other threads woken for one connection found "
                "nothing to accept (inferred)",
                "监听 fd %d 上的惊群：为一个连接唤醒的另外 %lld 个线程无连接可 accept（推断）"},
    Translation{"seed000: string(buf) on fd %d reads past char buf[1024] (no NUL after a "
                "%lld-byte read)",
                "seed000：fd %d 上的 string(buf) 读过了 char buf[1024] 的末尾（读满 "
                "%lld 字节后没有 NUL）"},
    Translation{
        "crash: seed000 strcpy()s %lld bytes into char buf[1024] for fd %d: stack "
        "smashed, SIGSEGV",
        "崩溃：seed000 把 %lld 字节 strcpy() 进 char buf[1024]（fd %d）：栈被破坏，SIGSEGV"},
    Translation{"exit: seed000 calls ERR_EXIT after %s failed with %s: the server is gone",
                "退出：%s 以 %s 失败后 seed000 调用 ERR_EXIT：服务器没了"},
    // Where an engine thread is and the diagnoses in force (core/kernelstate), in the picture.
    Translation{"not started", "尚未开始"},
    Translation{"asleep in epoll_wait (stranded)", "睡在 epoll_wait 中（搁浅）"},
    Translation{"in %s (%lld ready)", "在 %s 中（%lld 个就绪）"},
    Translation{"back from %s (%lld ready)", "从 %s 返回（%lld 个就绪）"},
    Translation{"after %s", "在 %s 之后"},
    Translation{"handling fd %d: %s = %lld", "处理 fd %d：%s = %lld"},
    Translation{" on fd %d", "（fd %d）"},
    Translation{"stranded", "搁浅"},
    Translation{"stranded %lld conns", "搁浅 %lld 个连接"},
    Translation{"stranded %lld B", "搁浅 %lld 字节"},
    Translation{"busy: %lld idle wakeups", "忙循环：%lld 次空唤醒"},
    Translation{"blocked", "阻塞"},
    Translation{"crash", "崩溃"},
    Translation{"thundering herd", "惊群"},
    // How long an event lasted (core/base durationText gives the figure).
    Translation{"took %s", "耗时 %s"},
    Translation{"over %s", "持续 %s"},
    Translation{"stalled %s", "停滞 %s"},
    // What an event means (eventExplanation).
    Translation{"Edge-triggered: the kernel reported this socket once; until something new "
                "arrives epoll_wait will not report what is already there.",
                "边沿触发：内核只报告了这个 socket 一次；在有新数据到达之前，epoll_wait "
                "不会再报告已经在那里的数据。"},
    Translation{"Level-triggered epoll reports a ready socket on every call, so a loop that does "
                "nothing with it spins.",
                "水平触发的 epoll 每次调用都会报告就绪的 socket，所以不处理它的循环会空转。"},
    Translation{"A blocking socket call waits for its peer; meanwhile no other client is served.",
                "阻塞的 socket 调用在等待对端；这期间其他客户端都得不到服务。"},
    Translation{"EAGAIN: the receive queue is empty now; everything that has arrived is read.",
                "EAGAIN：接收队列现在是空的；已到达的数据都读完了。"},
    Translation{"EAGAIN: the send buffer is full; wait for EPOLLOUT.",
                "EAGAIN：发送缓冲区满了；等待 EPOLLOUT。"},
    Translation{"EAGAIN: no connection is waiting in the backlog.",
                "EAGAIN：积压队列里没有等待的连接。"},
    Translation{"EMFILE: the process is out of descriptors; the connection stays in the backlog.",
                "EMFILE：进程的描述符用完了；连接留在积压队列里。"},
    Translation{"ECONNRESET: the peer reset the connection.", "ECONNRESET：对端重置了连接。"},
    Translation{"0 is end of file: the peer shut down its sending side. Not \"all data "
                "received\".",
                "0 表示文件结束：对端关闭了它的发送方向。不是“数据都收到了”。"},
    Translation{"A short read: fewer bytes than asked were waiting at that moment.",
                "短读：那一刻在等待的字节比请求的少。"},
    Translation{"EPOLL_CTL_MOD re-polls the socket: data already waiting is reported again.",
                "EPOLL_CTL_MOD 会重新检查 socket：已在等待的数据会再次被报告。"},
    Translation{"Timed out: nothing was ready.", "超时：没有就绪的。"},
    Translation{"A full read leaves no zero byte in the array, so string(buf) reads on past its "
                "end: undefined behaviour (AddressSanitizer: stack-buffer-overflow). Use "
                "append(buf, n).",
                "读满之后数组里没有零字节，于是 string(buf) 一直读过数组末尾：未定义行为"
                "（AddressSanitizer：stack-buffer-overflow）。请用 append(buf, n)。"},
    Translation{"The compiled seed died with SIGSEGV here: a remote client can crash it. "
                "epollscope records the crash and closes only this connection.",
                "编译出的 seed 在这里因 SIGSEGV 而死：远程客户端可以让它崩溃。epollscope "
                "记录这次崩溃，并只关闭这个连接。"},
    Translation{"The seed treats this error as fatal and exits, dropping every client. On EMFILE "
                "the idle-fd trick sheds the connection instead.",
                "seed 把这个错误当作致命错误而退出，丢下所有客户端。遇到 EMFILE 时，空闲 fd "
                "技巧会改为丢弃这一个连接。"},
    // The knobs' help (core/base/knobs.cpp), shown as the knob's tooltip.
    Translation{"trigger mode of the listening socket", "监听 socket 的触发模式"},
    Translation{"epoll: epoll_wait on an interest list registered with epoll_ctl; poll: poll(2) "
                "passing every watched descriptor on every call (level-triggered only)",
                "epoll：在用 epoll_ctl 注册的关注列表上 epoll_wait；poll：每次调用都把所有被监视的"
                "描述符传给 poll(2)（只有水平触发）"},
    Translation{"trigger mode of accepted connections", "已接受连接的触发模式"},
    Translation{"accept until EAGAIN, or one accept4 per wakeup",
                "一直 accept 到 EAGAIN，或每次唤醒只 accept4 一次"},
    Translation{"read until EAGAIN, one read per wakeup, or stop at the first short read",
                "一直 read 到 EAGAIN、每次唤醒只 read 一次，或在第一次短读时停止"},
    Translation{"bytes asked by each read", "每次 read 请求的字节数"},
    Translation{"EPOLLOUT only while output is pending; MOD EPOLLOUT<->EPOLLIN per message; "
                "always registered",
                "只在有待发送数据时注册 EPOLLOUT；每条消息 MOD EPOLLOUT<->EPOLLIN；始终注册"},
    Translation{"accepted sockets' mode (blocking calls end after block-timeout)",
                "已接受 socket 的模式（阻塞调用在 block-timeout 后结束）"},
    Translation{"register connections with EPOLLONESHOT", "用 EPOLLONESHOT 注册连接"},
    Translation{"with oneshot: re-arm with EPOLL_CTL_MOD after each event",
                "配合 oneshot：每个事件之后用 EPOLL_CTL_MOD 重新启用"},
    Translation{"register connections with EPOLLRDHUP", "用 EPOLLRDHUP 注册连接"},
    Translation{"epoll_wait's maxevents, or grow: double when a return fills the array",
                "epoll_wait 的 maxevents，或 grow：返回填满数组时加倍"},
    Translation{"SO_RCVBUF of accepted sockets (0: default)",
                "已接受 socket 的 SO_RCVBUF（0：默认）"},
    Translation{"SO_SNDBUF of accepted sockets (0: default)",
                "已接受 socket 的 SO_SNDBUF（0：默认）"},
    Translation{"the engine behaves as if RLIMIT_NOFILE were this, in its own descriptor table; "
                "the rest of the process is unaffected (0: no limit)",
                "引擎在自己的描述符表中表现得如同 RLIMIT_NOFILE 是这个值；进程的其余部分不受影响"
                "（0：不限制）"},
    Translation{"keep a spare fd for the EMFILE trick", "为 EMFILE 技巧保留一个备用 fd"},
    Translation{"close a connection after read() returned 0 (off: leave it in CLOSE_WAIT)",
                "read() 返回 0 后关闭连接（off：让它留在 CLOSE_WAIT）"},
    Translation{"ms before a blocking socket call gives up (SO_RCVTIMEO/SO_SNDTIMEO)",
                "阻塞的 socket 调用放弃之前的毫秒数（SO_RCVTIMEO/SO_SNDTIMEO）"},
    Translation{"echo: the server the knobs describe; seed000: seed article 000's server, bugs "
                "included; seed000-strings: the same with std::string buffers instead of char "
                "buf[1024]",
                "echo：旋钮所描述的服务器；seed000：种子文章 000 的服务器，连同它的 bug；"
                "seed000-strings：同上，但用 std::string 缓冲区代替 char buf[1024]"},
    Translation{"worker threads sharing the listener, each with its own epoll instance; they "
                "accept and hand connections to the engine thread (0: the engine thread accepts)",
                "共享监听 socket 的工作线程，各有自己的 epoll 实例；它们 accept 连接并交给引擎线程"
                "（0：由引擎线程 accept）"},
    Translation{"workers register the listener with EPOLLEXCLUSIVE",
                "工作线程用 EPOLLEXCLUSIVE 注册监听 socket"},
    Translation{"bytes of unsent echo a connection may hold before the engine stops reading it "
                "(EPOLLIN dropped with EPOLL_CTL_MOD; resumed at half); 0: no cap, a client that "
                "never reads grows the server without bound",
                "一个连接在引擎停止读取它之前可积压的未发送回显字节数（用 EPOLL_CTL_MOD 去掉 "
                "EPOLLIN；降到一半时恢复）；0：不设上限，从不读取的客户端会让服务器无限增长"},
};

}  // namespace

std::span<const Translation> chineseEvents() {
  return kEvents;
}

}  // namespace eps::gui
