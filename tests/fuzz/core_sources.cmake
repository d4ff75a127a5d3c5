# The core sources the fuzz targets link (found with the linker's map of the replay programs).
# The fuzz build compiles only these: instrumented builds of the engine, clients and timeline
# would double its time for nothing. A reader that gains a dependency fails to link here,
# naming the symbol: add its file.
set(EPOLLSCOPE_FUZZ_CORE_SOURCES
  capped_file check_expr import_counters interrupt json_writer knobs lanes lesson_loader
  lesson_syntax names output_file payload_store payload_text peer_names session_event
  session_header session_read session_write strace_import strace_import_infer
  strace_import_mapper strace_import_parse strace_line terminal_text toml_guard trace_export
  trace_export_args trace_export_csv trace_tour)
