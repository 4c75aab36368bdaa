/*
 * rrec-logblock.h — building and freeing the values of a log block.
 *
 * Private to the library: the reader builds blocks, the engine and the
 * tools only read them through include/rrec/logreader.h.
 */
#pragma once

#include "rrec/logreader.h"

G_BEGIN_DECLS

typedef unsigned char uchar;

/* The memory of the block being read: its strings and key-value lists
 * (GArrays of RrecLogPair), kept from block to block so that reading a
 * block allocates next to nothing once the first blocks are read.  What
 * it hands out lives until the next reset. */
typedef struct {
	char *chunk;		/* where text goes now */
	gsize used, size;
	GSList *full;		/* earlier chunks of this block */
	GPtrArray *lists;	/* every list made so far */
	guint n_lists;		/* those this block uses */
} RrecLogStore;

void rrec_log_store_init (RrecLogStore *s);
/* A NUL-terminated copy of LEN bytes. */
char *rrec_log_store_copy (RrecLogStore *s, const uchar *text, gsize len);
/* …made valid UTF-8. */
char *rrec_log_store_text (RrecLogStore *s, const uchar *text, gsize len);
/* …in lower case (ASCII). */
char *rrec_log_store_lower (RrecLogStore *s, const uchar *text, gsize len);
/* A new, empty key-value list. */
GArray *rrec_log_store_list (RrecLogStore *s);
/* Everything handed out is given back (memory beyond a block's worth is
 * freed: it stays bounded by the largest block). */
void rrec_log_store_reset (RrecLogStore *s);
void rrec_log_store_clear (RrecLogStore *s);

/* The known message names (rrec_log_message_is_known) by index: the
 * index of NAME (LEN bytes) or -1, and the name at an index. */
guint rrec_log_message_count (void);
int rrec_log_message_index (const uchar *name, gsize len);
const char *rrec_log_message_at (guint index);

/* Lines longer than MAX_LINE bytes are not read (§7: 1 MiB); the fuzz
 * target sets a small limit to reach that path with small inputs. */
void rrec_log_reader_set_max_line (RrecLogReader *reader, gsize max_line);

G_END_DECLS
