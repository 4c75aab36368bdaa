/*
 * logreader.h — the streaming reader of T-Library log dumps.
 *
 * A log is text.  A message block starts at a header line that ends in
 * `message <Name>` and goes on over the following lines that start with a
 * TAB (or spaces); everything else is skipped.  The reader is pushed bytes
 * in chunks of any size and calls back once per block, in order:
 * on_block for a block it could read, on_error for one it skipped.
 *
 * Memory is bounded by the largest block, never by the size of the log: a
 * block exists only for the duration of its callback.  Limits (behaviour.md
 * §7), each a malformed block: a line longer than 1 MiB (never kept, a
 * line at the margin is reported at its own line), more than 10,000
 * attribute or key-value lines in a block, lists nested deeper than 32.
 */
#pragma once

#include "rrec/rrec.h"

G_BEGIN_DECLS

typedef enum {
	RREC_LOG_VALUE_STRING = 0,	/* 'quoted' or a bare word */
	RREC_LOG_VALUE_CONNID,		/* 16 hex digits, stored lower-case */
	RREC_LOG_VALUE_INTEGER,		/* bare decimal number, 64-bit signed */
	RREC_LOG_VALUE_LIST,		/* key-value list */
} RrecLogValueKind;

typedef struct _RrecLogValue RrecLogValue;
typedef struct _RrecLogPair RrecLogPair;
typedef struct _RrecLogBlock RrecLogBlock;
typedef struct _RrecLogReader RrecLogReader;

struct _RrecLogValue {
	RrecLogValueKind kind;
	union {
		char *string;	/* STRING and CONNID: valid UTF-8 */
		gint64 integer;	/* INTEGER */
		GArray *list;	/* LIST: RrecLogPair, in log order, duplicates kept */
	} u;
};

/* An attribute (key = its name as written, e.g. "AttributeThisDN") or an
 * entry of a key-value list (key = the quoted key, without quotes). */
struct _RrecLogPair {
	char *key;
	RrecLogValue value;
};

struct _RrecLogBlock {
	const char *file_name;	/* as given to rrec_log_reader_new() */
	guint64 line;		/* line number of the header, from 1 */
	/* Milliseconds since midnight of the header's time stamp, or of the
	 * previous block's when the header has none; -1 while none is known. */
	gint64 time_ms;
	/* The date the block is on: that of the last ISO time stamp read on
	 * any line, moved on by every midnight the log clock crossed since
	 * ("1970-01-01" before any ISO stamp). */
	char date[11];
	const char *message;	/* "EventEstablished", "RequestPrivateService" */
	/* AppName of `received from N(AppName)` / `request from N(AppName)`,
	 * NULL when the header names no sender. */
	const char *sender;
	gboolean is_request;	/* the message is a Request… */
	GArray *attributes;	/* RrecLogPair, in log order, names unique */
	/* The log clock (behaviour.md §6) at this block: milliseconds since
	 * midnight of the log's first day; a time of day more than 12 hours
	 * before the previous stamp's is the next day, an ISO stamp moves the
	 * day with its date.  It goes back only where the log's stamps do
	 * (by less than 12 hours, or an ISO date going back).  -1 while no
	 * time is known. */
	gint64 clock_ms;
	/* The host's filter did not want this message's attributes
	 * (rrec_log_reader_set_filter()): ATTRIBUTES is empty, unread. */
	gboolean attributes_skipped;
	/* MESSAGE's type as the engine knows it (rrec/message.h's
	 * RrecMessageType, what rrec_message_type_from_name() answers), -1
	 * for a message the engine does not follow: found with the name, so
	 * that a host need not look the name up again. */
	int message_type;
};

/* A block read whole.  It and everything it points to live until the
 * callback returns. */
typedef void (*RrecLogBlockFunc) (const RrecLogBlock *block,
				  gpointer user_data);

/* A malformed block, skipped: LINE is its header's line, MESSAGE says what
 * is wrong (the caller prints `FILE:LINE: MESSAGE`). */
typedef void (*RrecLogErrorFunc) (const char *file_name, guint64 line,
				  const char *message, gpointer user_data);

/* FILE_NAME is only handed back in blocks and errors; it may be NULL.
 * Either callback may be NULL. */
RREC_API RrecLogReader *rrec_log_reader_new (const char *file_name,
					     RrecLogBlockFunc on_block,
					     RrecLogErrorFunc on_error,
					     gpointer user_data);

/* Read LEN more bytes.  Chunks may end anywhere, even inside a line or a
 * UTF-8 sequence.  Blocks are delivered once their end is seen, that is at
 * the next line that does not belong to them, or at finish. */
RREC_API void rrec_log_reader_feed (RrecLogReader *reader, const char *data,
				    gsize len);

/* The end of the input: the last line (even without a line end) and the
 * last block are delivered.  Feeding afterwards is a programming error. */
RREC_API void rrec_log_reader_finish (RrecLogReader *reader);

/* The end of one file and the start of the next, FILE_NAME, of the same
 * log (a T-Server's log comes in files): as finish, then lines count from
 * 1 again while the log clock and its date go on (§6). */
RREC_API void rrec_log_reader_next_file (RrecLogReader *reader,
					 const char *file_name);

/* Whether a host wants the attributes of blocks of MESSAGE (a known
 * message name, e.g. "EventAgentReady"). */
typedef gboolean (*RrecLogWantFunc) (const char *message, gpointer user_data);

/* Reads only the header of a block whose message WANTED refuses (asked
 * once per message name): the block is still delivered, with its line,
 * times, message and sender, and attributes_skipped set; the errors of
 * its header and of its size (§7: a line over 1 MiB, over 10,000 lines)
 * are still reported, those of its attribute lines are not looked for.
 * A filter for a host that feeds an engine: rrec_engine_wants_message().
 * NULL (the default) reads every block whole, as `rrec parse` does. */
RREC_API void rrec_log_reader_set_filter (RrecLogReader *reader,
					  RrecLogWantFunc wanted,
					  gpointer user_data);

/* Ask for no more callbacks, e.g. from one of them to stop at the first
 * error.  The rest of the current chunk and later ones are ignored. */
RREC_API void rrec_log_reader_stop (RrecLogReader *reader);

RREC_API guint64 rrec_log_reader_get_n_blocks (RrecLogReader *reader);
RREC_API guint64 rrec_log_reader_get_n_skipped (RrecLogReader *reader);

RREC_API void rrec_log_reader_free (RrecLogReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecLogReader, rrec_log_reader_free)

/* The attribute called NAME, or NULL. */
RREC_API const RrecLogValue *rrec_log_block_get (const RrecLogBlock *block,
						 const char *name);

/* The text of a STRING or CONNID attribute, NULL if absent or a number or
 * a list. */
RREC_API const char *rrec_log_block_get_string (const RrecLogBlock *block,
						const char *name);

/* TRUE and *VALUE set if NAME is an INTEGER attribute. */
RREC_API gboolean rrec_log_block_get_integer (const RrecLogBlock *block,
					      const char *name,
					      gint64 *value);

/* The value of the first entry with KEY of a LIST value, or NULL (also
 * when LIST is NULL or not a list). */
RREC_API const RrecLogValue *rrec_log_list_get (const RrecLogValue *list,
						const char *key);

RREC_API const char *rrec_log_value_kind_to_string (RrecLogValueKind kind);

/* "hh:mm:ss.mmm" for TIME_MS (ms since midnight, >= 0), newly allocated. */
RREC_API char *rrec_log_time_to_string (gint64 time_ms);

/* TRUE if NAME is a T-Library message type name (Event… or Request…). */
RREC_API gboolean rrec_log_message_is_known (const char *name);

G_END_DECLS
