/*
 * rrec-logblock.h — building and freeing the values of a log block.
 *
 * Private to the library: the reader builds blocks, the engine and the
 * tools only read them through include/rrec/logreader.h.
 */
#pragma once

#include "rrec/logreader.h"

G_BEGIN_DECLS

/* A new, empty key-value list: a GArray of RrecLogPair that frees its
 * pairs (and their values, recursively) with itself. */
GArray *rrec_log_list_new (void);

void rrec_log_value_clear (RrecLogValue *value);
void rrec_log_pair_clear (gpointer pair);

G_END_DECLS
