// The Chinese of the counters' meanings (core/checks/counters.cpp): what a lesson's or a tour's
// counter counts, shown where a counter is named (the compare view's tooltips). Every meaning of
// both tables has its entry here (a test holds this) (zh_table_parts.hpp).
#include <array>

#include "app/gui/text/zh_table_parts.hpp"

namespace eps::gui {
namespace {

constexpr std::array kCounters = {
    // When a lesson counter is read (counterText).
    Translation{"step: %s", "本步：%s"},
    Translation{"now: %s", "此刻：%s"},
    // Lesson counters.
    Translation{"epoll_wait (or poll) returns that reported at least one socket (the control "
                "eventfd alone does not count), on the engine thread and its workers",
                "报告了至少一个套接字的 epoll_wait（或 poll）返回（只有控制 eventfd 的不算），"
                "在引擎线程及其工作线程上"},
    Translation{"the wakeups of worker threads (knob workers)", "工作线程的唤醒（旋钮 workers）"},
    Translation{"epoll_wait (or poll) returns of 0", "返回 0 的 epoll_wait（或 poll）"},
    Translation{"read calls on connections", "连接上的 read 调用"},
    Translation{"reads that returned > 0", "返回值 > 0 的 read"},
    Translation{"bytes those reads returned", "这些 read 返回的字节数"},
    Translation{"what the last read returned (-1 on failure; 0 end of file)",
                "最后一次 read 的返回值（失败为 -1；文件结束为 0）"},
    Translation{"the last read's errno (0 if it succeeded)",
                "最后一次 read 的 errno（成功则为 0）"},
    Translation{"write calls on connections", "连接上的 write 调用"},
    Translation{"bytes those writes returned", "这些 write 返回的字节数"},
    Translation{"writes that returned less than asked", "写入字节少于请求的 write"},
    Translation{"writes that failed with EAGAIN", "以 EAGAIN 失败的 write"},
    Translation{"the last write's errno (0 if it succeeded)",
                "最后一次 write 的 errno（成功则为 0）"},
    Translation{"ready entries with EPOLLOUT on connections", "连接上带 EPOLLOUT 的就绪项"},
    Translation{"accept4 calls that returned a connection", "返回了一个连接的 accept4 调用"},
    Translation{"accept4 calls that failed with EMFILE", "以 EMFILE 失败的 accept4 调用"},
    Translation{"accept4 calls that failed with EAGAIN (nothing to accept)",
                "以 EAGAIN 失败的 accept4 调用（没有可接受的连接）"},
    Translation{"the last accept4's errno (0 if it succeeded)",
                "最后一次 accept4 的 errno（成功则为 0）"},
    Translation{"the lesson's client number (1, 2, ...) of the connection the last accept4 "
                "returned",
                "最后一次 accept4 返回的连接在本课中的客户端编号（1、2……）"},
    Translation{"EPOLL_CTL_MOD calls", "EPOLL_CTL_MOD 调用"},
    Translation{"close calls on connections", "连接上的 close 调用"},
    Translation{"bytes stranded on connections", "滞留在连接上的字节"},
    Translation{"connections stranded in an ET listener's backlog",
                "滞留在 ET 监听套接字 backlog 中的连接"},
    Translation{"connections waiting in the accept queue", "在 accept 队列中等待的连接"},
    Translation{"bytes in the connections' receive queues", "连接接收队列中的字节"},
    Translation{"busy diagnoses", "忙等诊断数"},
    Translation{"blocked diagnoses", "阻塞诊断数"},
    Translation{"the longest blocked call, in ms", "阻塞最久的一次调用，单位毫秒"},
    Translation{"handler seed000 read past char buf[1024] (string(buf) after a full read)",
                "处理函数 seed000 越界读取了 char buf[1024]（读满后执行 string(buf)）"},
    Translation{"handler seed000 overflowed its stack (strcpy into char buf[1024])",
                "处理函数 seed000 栈溢出（strcpy 写入 char buf[1024]）"},
    Translation{"handler seed000 exited (ERR_EXIT)", "处理函数 seed000 退出了（ERR_EXIT）"},
    Translation{"wakeups per second over the step's run", "本步运行期间每秒的唤醒次数"},
    Translation{"ready entries with EPOLLRDHUP", "带 EPOLLRDHUP 的就绪项"},
    Translation{"ready entries with EPOLLHUP", "带 EPOLLHUP 的就绪项"},
    Translation{"ready entries with EPOLLERR", "带 EPOLLERR 的就绪项"},
    Translation{"bytes the lesson's clients sent, in total", "本课客户端发送的字节总数"},
    Translation{"bytes echoed back to the lesson's clients, in total",
                "回显给本课客户端的字节总数"},
    Translation{"bytes the clients sent that did not come back correctly (mismatched + "
                "outstanding)",
                "客户端发出却没有正确返回的字节（不匹配 + 未返回）"},
    Translation{"bytes that came back wrong (mismatched)", "返回内容有误的字节（不匹配）"},
    Translation{"clients that read end of file", "读到文件结束的客户端"},
    Translation{"echoed_bytes of the most recently connected client only",
                "只算最近连接的那个客户端的 echoed_bytes"},
    Translation{"lost_bytes of the most recently connected client only",
                "只算最近连接的那个客户端的 lost_bytes"},
    Translation{"bytes a traced example left stranded, as its sockets' samples measured them",
                "被追踪的示例程序滞留的字节，按其套接字采样测得"},
    Translation{"epoll_wait and poll calls (knob poller), on the engine thread and its workers",
                "epoll_wait 与 poll 调用（旋钮 poller），在引擎线程及其工作线程上"},
    Translation{"descriptors handed to the kernel by the waits, summed: poll passes its whole "
                "set on every call, epoll_wait none (its interest list stays in the kernel)",
                "各次等待交给内核的描述符之和：poll 每次调用都传入整个集合，epoll_wait "
                "一个也不传（它的关注列表一直留在内核里）"},
    Translation{"epoll_ctl calls (ADD, MOD and DEL): what epoll pays instead",
                "epoll_ctl 调用（ADD、MOD 与 DEL）：epoll 付出的代价在这里"},
    Translation{"1 if the engine's last look at its ready list, `poll(epfd, POLLIN, 0)` (taken as "
                "the engine pauses and every 50 ms while paused, and before an epoll_wait that "
                "may strand bytes), found a wakeup due: something on the list that epoll_wait "
                "would return at once; 0 if it found none, or the engine is asleep in "
                "epoll_wait; -1 if the engine made a call since (unknown). Check it with the "
                "engine paused",
                "引擎最后一次查看自己的就绪链表，即 `poll(epfd, POLLIN, 0)`（在引擎暂停时、暂停期间"
                "每 50 ms、以及在可能搁浅字节的 epoll_wait 之前各看一次），若发现有唤醒待发——"
                "链表上有 epoll_wait 会立刻返回的东西——则为 1；没有发现、或引擎正睡在 epoll_wait "
                "中则为 0；此后引擎又做过调用则为 -1（未知）。请在引擎暂停时检查它"},
    // Tour counters, over a whole imported log.
    Translation{"lines in the log", "日志的行数"},
    Translation{"system calls that became events (epoll, sockets, reads, writes, close...)",
                "成为事件的系统调用（epoll、套接字、读、写、close……）"},
    Translation{"threads (tids) seen", "出现过的线程（tid）"},
    Translation{"distinct epoll fds waited on, registered into or created",
                "被等待、注册或创建过的不同 epoll fd"},
    Translation{"epoll_wait / epoll_pwait calls that returned (EINTR included)",
                "已返回的 epoll_wait / epoll_pwait 调用（含 EINTR）"},
    Translation{"epoll_wait (or poll, select) calls that returned at least one event",
                "返回了至少一个事件的 epoll_wait（或 poll、select）调用"},
    Translation{"epoll_wait (or poll, select) calls that returned 0",
                "返回 0 的 epoll_wait（或 poll、select）调用"},
    Translation{"events reported, summed over every epoll_wait, poll and select",
                "报告的事件数，对所有 epoll_wait、poll 与 select 求和"},
    Translation{"EPOLL_CTL_ADD calls", "EPOLL_CTL_ADD 调用"},
    Translation{"EPOLL_CTL_DEL calls", "EPOLL_CTL_DEL 调用"},
    Translation{"ADD or MOD with EPOLLET in the mask", "掩码中带 EPOLLET 的 ADD 或 MOD"},
    Translation{"ADD or MOD without EPOLLET", "不带 EPOLLET 的 ADD 或 MOD"},
    Translation{"ADD or MOD with EPOLLOUT in the mask", "掩码中带 EPOLLOUT 的 ADD 或 MOD"},
    Translation{"accept / accept4 calls that returned a connection",
                "返回了一个连接的 accept / accept4 调用"},
    Translation{"accept / accept4 calls that failed with EAGAIN",
                "以 EAGAIN 失败的 accept / accept4 调用"},
    Translation{"read-like calls (read, pread64, recv*, readv, preadv, splice from a socket) on "
                "anything but files",
                "对文件以外对象的读类调用（read、pread64、recv*、readv、preadv、从套接字 splice）"},
    Translation{"read-like calls on anything but files that failed with EAGAIN",
                "对文件以外对象、以 EAGAIN 失败的读类调用"},
    Translation{"bytes returned by read-like calls on anything but files",
                "对文件以外对象的读类调用返回的字节数"},
    Translation{"write-like calls (write, pwrite64, send*, writev, pwritev, sendfile, splice, "
                "tee) on anything but files",
                "对文件以外对象的写类调用（write、pwrite64、send*、writev、pwritev、sendfile、"
                "splice、tee）"},
    Translation{"write-like calls on anything but files that failed with EAGAIN",
                "对文件以外对象、以 EAGAIN 失败的写类调用"},
    Translation{"write-like calls on anything but files that wrote fewer bytes than asked",
                "对文件以外对象、写入字节少于请求的写类调用"},
    Translation{"bytes accepted by write-like calls on anything but files",
                "对文件以外对象的写类调用所接受的字节数"},
    Translation{"close calls on anything but files", "对文件以外对象的 close 调用"},
    Translation{"calls that failed with EINTR", "以 EINTR 失败的调用"},
    Translation{"possible strandings inferred (ET, last read not EAGAIN)",
                "推断出的可能滞留（ET，最后一次读不是 EAGAIN）"},
    Translation{"runs of LT wakeups that did nothing, inferred",
                "推断出的一连串什么也没做的 LT 唤醒"},
    Translation{"non-empty lines the importer could not read", "导入器读不懂的非空行"},
    Translation{"TCP and UDP sockets: listeners and connections, never files, pipes, eventfds "
                "or UNIX sockets",
                "TCP 与 UDP 套接字：监听套接字和连接，不含文件、管道、eventfd 或 UNIX 套接字"},
    Translation{"connections that woke several threads, all but one finding nothing to accept "
                "(inferred)",
                "唤醒了多个线程、其中只有一个接受到连接的连接（推断）"},
};

}  // namespace

std::span<const Translation> chineseCounters() {
  return kCounters;
}

}  // namespace eps::gui
