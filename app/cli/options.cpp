#include "app/cli/options.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <map>

#include "core/compare/paired_run.hpp"
#include "core/strace/tour.hpp"

namespace eps::app {
namespace {

struct KnobFlags {
  std::map<KnobId, std::string> values;
  std::map<KnobId, bool> switches;
};

void addKnobFlags(CLI::App& cli, KnobFlags& flags) {
  for (const KnobInfo& info : knobTable()) {
    const std::string flag = "--" + std::string(info.name);
    const std::string help = std::string(info.help) + " (" + std::string(info.allowed) + ")";
    if (info.isFlag) {
      cli.add_flag(flag, flags.switches[info.id], help)->group("Engine knobs");
    } else {
      cli.add_option(flag, flags.values[info.id], help)->group("Engine knobs");
    }
  }
}

// Applies the knob flags given on the command line; returns the first error.
std::optional<std::string> applyKnobFlags(CLI::App& cli, const KnobFlags& flags, Knobs& knobs) {
  for (const KnobInfo& info : knobTable()) {
    const std::string flag = "--" + std::string(info.name);
    if (cli.count(flag) == 0) continue;
    const std::string value =
        info.isFlag ? (flags.switches.at(info.id) ? "on" : "off") : flags.values.at(info.id);
    if (auto error = setKnob(knobs, info.id, value)) return error;
  }
  if (const auto conflict = pollerConflict(knobs)) {
    return "--poller poll: " + needsEpollText(*conflict, knobValueText(knobs, *conflict));
  }
  return std::nullopt;
}

// A value quoted in an error, cut short: a 300-digit argument makes a 300-digit message.
std::string shortened(const std::string& text) {
  constexpr std::size_t kShown = 24;
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

}  // namespace

std::optional<std::string> parseDuration(const std::string& text, double& seconds) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  // from_chars takes "nan" and "inf"; the range check below refuses them (a NaN fails every
  // comparison), and 1e400 is result_out_of_range. Nothing larger than a year reaches the
  // nanosecond arithmetic, so seconds * 1e9 always fits in an int64.
  if (error != std::errc() || stop != end || !(value > 0 && value <= kMaxDurationSeconds)) {
    return "--duration " + shortened(text) + ": expected seconds, more than 0 and at most " +
           std::to_string(static_cast<long>(kMaxDurationSeconds)) + " (a year)";
  }
  seconds = value;
  return std::nullopt;
}

namespace {

// The flags of a run (engine, outputs, lessons, files), in the order --help lists them.
void addRunFlags(CLI::App& cli, Options& options, std::string& durationText) {
  cli.add_flag("--headless", options.headless, "run without a window");
  cli.add_option("--port", options.engine.port, "port on 127.0.0.1 (0: the kernel picks)")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--backlog", options.engine.backlog, "listen(2) backlog")
      ->check(CLI::Range(1, 65535));
  cli.add_flag("--paused", options.engine.startPaused, "start with the engine paused");
  cli.add_flag("--untraced", options.engine.untraced,
               "headless engine run that records and samples nothing: the same server without "
               "its instrument, to measure what recording costs (tests/bench/echo); no trace, "
               "so no output file");
  cli.add_option("--pace", options.paceMs, "ms of delay before each engine call")
      ->check(CLI::Range(0, 2000));
  cli.add_option("--duration", durationText,
                 "seconds to run (fractions allowed), more than 0 and at most " +
                     std::to_string(static_cast<long>(kMaxDurationSeconds)) + " (a year)");
  // Every output is written whole or not at all, and only a regular file is replaced
  // (core/base/output_file.hpp): said once here, in the help of the first output flag.
  cli.add_option("--trace-out", options.traceOut,
                 "write Chrome Trace Event JSON here (- : standard output). Outputs are written "
                 "whole or not at all; an existing symlink, device, FIFO or folder is refused, "
                 "and every output path is checked before the run starts");
  cli.add_option("--csv-out", options.csvOut,
                 "write a CSV of every call here (- : standard output)");
  cli.add_option("--lesson", options.lesson, "a lesson file, or a folder of them")
      ->check(CLI::ExistingPath);
  cli.add_option("--open", options.openLog,
                 "open a saved session (--save-session), import an strace log (strace -f "
                 "-ttt -T -yy -o LOG), or open a tour of one (assets/traces/*.tour.toml) instead "
                 "of running the engine; headless: writes --trace-out/--csv-out and prints a "
                 "summary (a tour: its steps' checks)");
  cli.add_option("--save-session", options.saveSession,
                 "headless: save the session (trace, knobs, lesson position, client counters) "
                 "to FILE when the run, lesson or import ends (window: after --frames N); reopen it "
                 "with --open FILE");
  cli.add_flag("--check", options.check,
               "run the lesson (or the --open tour) headless and exit 1 if a check fails (implies "
               "--headless)");
}

// A live trace of another program (core/strace/live_tracer.hpp): the program comes after
// "--", split off before CLI11 parses the rest.
void addLiveTraceFlags(CLI::App& cli, Options& options) {
  cli.add_flag("--trace", options.trace,
               "trace a program started here, given after --, with strace instead of running "
               "the engine, in the window (or --headless); Ctrl-C or closing the window ends the "
               "program; writes --trace-out/--csv-out/--save-session at the end");
  cli.add_option(
         "--attach", options.attachPid,
         "trace the running process PID with strace instead of running the engine "
         "in the window (or --headless); Ctrl-C or closing the window detaches and leaves it "
         "running")
      ->option_text("PID");
}

// Two runs side by side (app/cli/compare_command.hpp; the window's compare view).
void addCompareFlags(CLI::App& cli, Options& options) {
  cli.add_option("--compare-lesson", options.compareLesson,
                 "play the lesson's script on two engines side by side, with its knobs changed "
                 "by --knobs-a (side A) and --knobs-b (side B); headless: print both sides' "
                 "counters, differences marked; else the window's compare view")
      ->check(CLI::ExistingFile);
  cli.add_option("--knobs-a", options.knobsA,
                 "with --compare-lesson: side A's knob changes, KNOB=VALUE[,KNOB=VALUE...] "
                 "(e.g. conn-trigger=lt)");
  cli.add_option("--knobs-b", options.knobsB,
                 "with --compare-lesson: side B's knob changes (e.g. conn-trigger=et)");
  cli.add_option("--compare-sessions", options.compareSessions,
                 "compare two saved sessions: their counters side by side, their timelines "
                 "aligned on the lesson steps and actions they share")
      ->expected(2)
      ->check(CLI::ExistingFile);
}

// The window's own flags.
void addWindowFlags(CLI::App& cli, Options& options) {
  cli.add_option("--frames", options.frames, "render N frames, then exit")
      ->check(CLI::Range(1, 100000));
  cli.add_option("--screenshot", options.screenshot, "save the last frame as a PNG");
  cli.add_option("--exit-screenshot", options.exitScreenshot,
                 "window: save the last frame as a PNG when the window closes (close button, "
                 "Ctrl-C, SIGTERM)");
  cli.add_option("--state-out", options.stateOut,
                 "window: after every frame, write what the window shows as JSON to FILE (time "
                 "range, lanes, selection, lesson step, knobs, panels), for scripts and tests");
  cli.add_option("--scenario", options.scenario,
                 "window: play a scripted story first, NAME[:STAGE] (lost-wakeup, busy-loop)");
  cli.add_option("--synthetic-events", options.syntheticEvents,
                 "window: load N synthetic events into the timeline (measuring frame cost)")
      ->check(CLI::Range(0, 50'000'000));
  cli.add_option("--zoom-us", options.zoomMicros,
                 "window: show this many microseconds around the middle of the trace")
      ->check(CLI::PositiveNumber);
  cli.add_flag("--frame-stats", options.frameStats,
               "window: print the CPU time of the frames (NewFrame to Render) on exit");
  cli.add_option("--font-scale", options.fontScale, "window: font scale for a projector")
      ->check(CLI::Range(0.8f, 2.5f));
  cli.add_flag("--high-contrast", options.highContrast, "window: the high-contrast theme");
  cli.add_flag("--epoll-picture", options.epollPicture,
               "window: start with the epoll picture shown (E toggles it)");
  cli.add_flag("--chinese", options.chinese, "window: lessons and labels in Chinese");
  cli.add_option("--lesson-step", options.lessonStep,
                 "window: play this many steps of --lesson before drawing (for screenshots)")
      ->check(CLI::Range(0, 1000));
}

// Flags that cannot go together, and what some flags imply; the error line, if any.
std::optional<std::string> settleLiveTrace(Options& options) {
  if (options.trace && options.program.empty()) {
    return "epollscope: --trace needs a program after --: --trace -- PROGRAM [ARGS...]";
  }
  if (!options.trace && !options.program.empty()) {
    return "epollscope: a program after -- needs --trace: --trace -- PROGRAM [ARGS...]";
  }
  if (options.trace && options.attach) {
    return "epollscope: --trace and --attach cannot be combined";
  }
  if (!options.liveTrace()) return std::nullopt;
  if (options.attach && options.attachPid <= 0) {
    return "epollscope: --attach " + std::to_string(options.attachPid) +
           ": expected a process id above 0";
  }
  // --frames draws a window: a headless trace has none.
  if (!options.openLog.empty() || !options.lesson.empty() || options.check ||
      options.engine.untraced || (options.frames > 0 && options.headless)) {
    return std::string("epollscope: ") + (options.trace ? "--trace" : "--attach") +
           " cannot be combined with --open, --lesson, --check, --untraced or --frames";
  }
  return std::nullopt;  // the window traces it unless --headless
}

// --knobs-a/-b need --compare-lesson, and say which word is wrong (checked on the default
// knobs here: the lesson's own knobs are applied under them when it is read).
std::optional<std::string> settleCompare(const Options& options) {
  for (const auto& [flag, text] :
       {std::pair{"--knobs-a", &options.knobsA}, std::pair{"--knobs-b", &options.knobsB}}) {
    if (text->empty()) continue;
    if (options.compareLesson.empty()) {
      return std::string("epollscope: ") + flag + " needs --compare-lesson FILE";
    }
    Knobs knobs;
    if (std::string error = applyKnobChanges(knobs, *text); !error.empty()) {
      return std::string("epollscope: ") + flag + ": " + error;
    }
  }
  if (!options.compare()) return std::nullopt;
  if (!options.compareLesson.empty() && !options.compareSessions.empty()) {
    return "epollscope: --compare-lesson and --compare-sessions cannot be combined";
  }
  if (!options.lesson.empty() || !options.openLog.empty() || options.check || options.liveTrace() ||
      !options.traceOut.empty() || !options.csvOut.empty() || !options.saveSession.empty()) {
    return "epollscope: --compare-lesson and --compare-sessions cannot be combined with "
           "--lesson, --open, --check, --trace, --attach or an output file";
  }
  return std::nullopt;
}

std::optional<std::string> settleCombinations(Options& options) {
  if (!options.screenshot.empty() && options.frames == 0) options.frames = 1;
  if (auto error = settleCompare(options)) return error;
  if (auto error = settleLiveTrace(options)) return error;
  if (options.check) options.headless = true;
  if (!options.openLog.empty() && !options.lesson.empty()) {
    return "epollscope: --open and --lesson cannot be combined";
  }
  if (options.check && options.lesson.empty() && !isTourPath(options.openLog)) {
    return "epollscope: --check needs --lesson FILE|DIR or --open TOUR.tour.toml";
  }
  if (options.engine.untraced &&
      (!options.headless || !options.lesson.empty() || !options.openLog.empty() ||
       !options.traceOut.empty() || !options.csvOut.empty() || !options.saveSession.empty())) {
    return "epollscope: --untraced is for a headless engine run only, with no --lesson, "
           "--open or output (there is no trace to write)";
  }
  if (!options.saveSession.empty() && !options.headless && options.frames == 0 &&
      !options.liveTrace()) {
    return "epollscope: --save-session needs --headless, --check or --frames (the window "
           "saves from File)";
  }
  return std::nullopt;
}

}  // namespace

ParseResult parseCommandLine(int argc, char** argv) {
  CLI::App cli(
      "epollscope: Linux epoll, shown. A real epoll server on 127.0.0.1 whose every "
      "call is recorded.",
      "epollscope");
  Options options;
  KnobFlags knobFlags;
  std::string durationText;  // parsed by parseDuration: CLI11 would take nan, inf and 1e10
  addRunFlags(cli, options, durationText);
  addLiveTraceFlags(cli, options);
  addCompareFlags(cli, options);
  addWindowFlags(cli, options);
  addKnobFlags(cli, knobFlags);

  // Everything after the first "--" is the program for --trace, never epollscope's flags.
  int ownArgs = 1;
  while (ownArgs < argc && std::string_view(argv[ownArgs]) != "--") ++ownArgs;
  for (int i = ownArgs + 1; i < argc; ++i) options.program.emplace_back(argv[i]);
  ParseResult result;
  try {
    cli.parse(ownArgs, argv);
  } catch (const CLI::CallForHelp&) {
    result.message = cli.help();
    return result;
  } catch (const CLI::ParseError& error) {
    result.exitCode = 2;
    result.message = std::string("epollscope: ") + error.what() + " (see --help)";
    return result;
  }
  options.attach = cli.count("--attach") > 0;
  if (cli.count("--duration") > 0) {
    if (std::optional<std::string> error = parseDuration(durationText, options.durationSeconds)) {
      result.exitCode = 2;
      result.message = "epollscope: " + *error;
      return result;
    }
  }
  if (auto error = applyKnobFlags(cli, knobFlags, options.engine.knobs)) {
    result.exitCode = 2;
    result.message = "epollscope: " + *error;
    return result;
  }
  if (auto error = settleCombinations(options)) {
    result.exitCode = 2;
    result.message = *error;
    return result;
  }
  result.options = options;
  return result;
}

}  // namespace eps::app
