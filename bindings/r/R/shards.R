merge_shards <- function(paths, output) {
  call <- sys.call()
  files <- shard_paths(paths, call)
  if (missing(output) || is.null(output)) argument_error("output: the merged file's path is required", call)
  unwrap(.vt_merge(files, path_argument(output, "output", call), command_text(call)), call)
}

missing_shards <- function(paths) {
  call <- sys.call()
  as_data_frame(unwrap(.vt_missing_shards(shard_paths(paths, call)), call))
}

shard_paths <- function(paths, call) {
  if (!is.character(paths) || length(paths) == 0L || anyNA(paths) || any(!nzchar(paths))) {
    argument_error(sprintf("paths must be the shard files' paths (a character vector), not %s", shown(paths)), call)
  }
  enc2native(path.expand(paths))
}
