/*
 * rrec-logbody.h — one line inside a log block, read by a Ragel machine
 * (src/tlib/logbody.rl): an attribute `Name TAB value` or a list entry
 * `'key' TAB value` / `'key'(list) …`, and the value it holds.  Private to
 * the reader (src/tlib/logreader.rl), which keeps the block's structure.
 */
#pragma once

#include "rrec-logblock.h"

G_BEGIN_DECLS

/* How far the machine got: says what is wrong when it fails. */
typedef enum {
	BODY_START = 0,
	BODY_NAME,	/* in the attribute name */
	BODY_KEY,	/* inside the quoted key */
	BODY_AFTER_KEY,	/* after the key's closing quote */
	BODY_VALUE,	/* in the blank before the value */
	BODY_QUOTED,	/* in a quoted value */
	BODY_LIST,	/* in a list header `[n] 00 01..` */
	BODY_BARE,	/* in a bare value */
	BODY_TRAIL,	/* after a bare value */
} RrecLogBodyStage;

typedef struct {
	RrecLogBodyStage stage;
	gboolean is_entry;
	gboolean connid_name;	/* the attribute name ends in ConnID */
	gboolean quoted;
	gboolean list;		/* a list header: entries follow */
	gboolean nested;	/* 'key'(list) */
	gboolean bare_int;	/* -?[0-9]+ */
	gboolean bare_hex16;	/* 16 hex digits */
	gboolean has_int;	/* bare_int of at most 18 digits, read by hand… */
	gint64 int_value;	/* …whose value this is */
	const uchar *name_start, *name_end;	/* name or key */
	const uchar *val_start, *val_end;
	const uchar *rest;	/* after `(list)` */
	const uchar *stop;	/* where the machine failed, NULL at the end */
	const uchar *end;	/* the end of the line */
} RrecLogBody;

/* Reads LINE (without its indentation) into B; FALSE if it is neither an
 * attribute nor a list entry (B says how far it got).  The common forms
 * are read by hand, with the same result; the machine reads the rest and
 * says what is wrong with a line. */
gboolean rrec_log_body_read (RrecLogBody *b, const uchar *line, gsize len);

/* The same by the machine alone (for the tests: both must agree). */
gboolean rrec_log_body_read_machine (RrecLogBody *b, const uchar *line,
				     gsize len);

/* Fills VALUE from what rrec_log_body_read() found, its text and list in
 * STORE; NAME is the attribute name or list key and LINE_NO the line, for
 * the message returned (to be freed) when the value is wrong, NULL
 * otherwise. */
char *rrec_log_body_value (const RrecLogBody *b, const char *name,
			   guint64 line_no, RrecLogValue *value,
			   RrecLogStore *store);

/* What is wrong with a line the machine refused (WHAT: what it should
 * have been), to be freed. */
char *rrec_log_body_error (const RrecLogBody *b, guint64 line_no,
			   const char *what);

/* At most a few dozen characters of TEXT, valid UTF-8, for a message. */
char *rrec_log_text_snippet (const uchar *text, gsize len);

G_END_DECLS
