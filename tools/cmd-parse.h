/*
 * cmd-parse.h — `rrec parse`: the log reader's view of a log, as JSON.
 */
#pragma once

#include "rrec/logreader.h"

G_BEGIN_DECLS

/* BLOCK as the one-line JSON object of `rrec parse` (behaviour.md §6),
 * without a line end.  Free with g_free(). */
char *rrec_parse_block_to_json (const RrecLogBlock *block);

/* `rrec parse [LOG…]`: ARGV[0] is "parse".  Exit status: 0 when every
 * block was read, 1 when one was skipped, 2 for a usage error or a log
 * that cannot be read. */
int rrec_cmd_parse (int argc, char **argv);

G_END_DECLS
