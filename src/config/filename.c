/*
 * filename.c — the `recording-filename` template (R29): compiled once when
 * the configuration is loaded, expanded at each dial into one safe
 * file-name component.
 */

#include "rrec-filename.h"

#include <string.h>

#include "rrec/config.h"

typedef enum {
	VAR_CALLUUID,
	VAR_CONNID,
	VAR_DN,
	VAR_ANI,
	VAR_DNIS,
	VAR_DATE,
	VAR_TIME,
	VAR_PORT,
	N_VARS,
	VAR_LITERAL = N_VARS	/* a piece of the template's own text */
} Var;

static const char *const var_names[N_VARS] = {
	[VAR_CALLUUID] = "CALLUUID",
	[VAR_CONNID] = "CONNID",
	[VAR_DN] = "DN",
	[VAR_ANI] = "ANI",
	[VAR_DNIS] = "DNIS",
	[VAR_DATE] = "DATE",
	[VAR_TIME] = "TIME",
	[VAR_PORT] = "PORT",
};

#define KNOWN_VARS \
	"$CALLUUID$, $CONNID$, $DN$, $ANI$, $DNIS$, $DATE$, $TIME$, $PORT$"

/* The variable named by the LEN bytes at NAME, or N_VARS. */
static Var
lookup_var (const char *name, gsize len)
{
	for (Var v = 0; v < N_VARS; v++)
		if (strlen (var_names[v]) == len &&
		    memcmp (var_names[v], name, len) == 0)
			return v;
	return N_VARS;
}

/* A run of the template's text, or one variable. */
typedef struct {
	guint32 var;		/* Var */
	guint32 len;		/* VAR_LITERAL: its length */
	const char *text;	/* VAR_LITERAL: made safe, in the template's copy */
	char head[8];		/* VAR_LITERAL: its first 8 bytes, 0 after */
} Piece;

struct _RrecFilenameTemplate {
	guint n_pieces;
	gboolean uses_port;
	char *text;		/* the template, its literal runs made safe */
	Piece pieces[];
};

/* R29: the bytes a name keeps; any other becomes '_'. */
#define SAFE_BYTE(c) \
	(((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || \
	 ((c) >= '0' && (c) <= '9') || (c) == '+' || (c) == '.' || \
	 (c) == '_' || (c) == '-')
#define SAFE1(c) ((char) (SAFE_BYTE (c) ? (c) : '_'))
#define SAFE4(c) SAFE1 (c), SAFE1 ((c) + 1), SAFE1 ((c) + 2), SAFE1 ((c) + 3)
#define SAFE16(c) SAFE4 (c), SAFE4 ((c) + 4), SAFE4 ((c) + 8), SAFE4 ((c) + 12)
#define SAFE64(c) SAFE16 (c), SAFE16 ((c) + 16), SAFE16 ((c) + 32), \
	SAFE16 ((c) + 48)

/* each byte as a name writes it: one load a byte, no test */
static const char safe_byte[256] = {
	SAFE64 (0), SAFE64 (64), SAFE64 (128), SAFE64 (192)
};

RrecFilenameTemplate *
rrec_filename_template_compile (const char *template_, GError **error)
{
	g_autoptr (GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
	RrecFilenameTemplate *t;
	char *text;
	char *p;

	if (template_ == NULL || *template_ == '\0')
		template_ = RREC_FILENAME_DEFAULT_TEMPLATE;
	text = g_strdup (template_);

	for (p = text; *p != '\0'; ) {
		const char *name = p + 1;
		char *end;
		Piece piece = { 0 };

		if (*p != '$') {
			/* the literal text up to the next variable, made safe
			 * now rather than at each dial */
			char *q = p;

			for (; *q != '\0' && *q != '$'; q++)
				*q = safe_byte[(guchar) *q];
			piece.var = VAR_LITERAL;
			/* no more of it can ever be written */
			piece.len = (guint32) MIN (q - p, RREC_FILENAME_MAX_LEN);
			piece.text = p;
			memcpy (piece.head, p, MIN (piece.len, sizeof piece.head));
			g_array_append_val (pieces, piece);
			p = q;
			continue;
		}
		end = strchr (name, '$');
		if (end == NULL) {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_INVALID_VALUE,
			             "'%s' opens a variable that has no closing '$' "
			             "(known: " KNOWN_VARS ")", template_ + (p - text));
			g_free (text);
			return NULL;
		}
		piece.var = lookup_var (name, end - name);
		if (piece.var == N_VARS) {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_INVALID_VALUE,
			             "unknown variable '$%.*s$' (known: "
			             KNOWN_VARS ")", (int) (end - name),
			             template_ + (name - text));
			g_free (text);
			return NULL;
		}
		g_array_append_val (pieces, piece);
		p = end + 1;
	}

	t = g_malloc (sizeof *t + pieces->len * sizeof (Piece));
	t->n_pieces = pieces->len;
	t->uses_port = FALSE;
	t->text = text;
	for (guint i = 0; i < pieces->len; i++) {
		t->pieces[i] = g_array_index (pieces, Piece, i);
		if (t->pieces[i].var == VAR_PORT)
			t->uses_port = TRUE;
	}
	return t;
}

void
rrec_filename_template_free (RrecFilenameTemplate *template_)
{
	if (template_ == NULL)
		return;
	g_free (template_->text);
	g_free (template_);
}

gboolean
rrec_filename_template_uses_port (const RrecFilenameTemplate *template_)
{
	return template_->uses_port;
}

gboolean
rrec_filename_template_validate (const char *template_, GError **error)
{
	g_autoptr (RrecFilenameTemplate) t =
		rrec_filename_template_compile (template_, error);

	return t != NULL;
}

/*
 * Expansion writes at O, up to END (just after the last byte a name may
 * have): what does not fit is cut there, as R29 cuts the whole name.
 */

/* S made safe byte by byte; NULL is "".  One copy, not one a variable:
 * the loop is long. */
static G_GNUC_NO_INLINE char *
put_value (char *o, char *end, const char *s)
{
	guchar c;

	if (s == NULL)
		return o;
	/* 16 bytes at a time while they fit: one test a byte, not two */
	for (; end - o >= 16; o += 16, s += 16)
		for (guint i = 0; i < 16; i++) {
			if ((c = (guchar) s[i]) == '\0')
				return o + i;
			o[i] = safe_byte[c];
		}
	while (o < end && (c = (guchar) *s++) != '\0')
		*o++ = safe_byte[c];
	return o;
}

static inline char *
put_literal (char *o, char *end, const Piece *p)
{
	/* a short run (the '_' between variables) in one 8-byte store when
	 * the name has room for it: the bytes after the run are written
	 * over by what follows, or left after the name's end */
	if (p->len <= sizeof p->head && end - o >= (ptrdiff_t) sizeof p->head) {
		memcpy (o, p->head, sizeof p->head);
		return o + p->len;
	}

	gsize n = MIN ((gsize) p->len, (gsize) (end - o));

	memcpy (o, p->text, n);
	return o + n;
}

/* "YYYY-MM-DD" or "hh-mm-ss" at W of a year of 0 … 9999 and other values
 * of 0 … 99, digit by digit: no printf per file name.  Returns the
 * length. */
static gsize
write_clock (char *w, gboolean date, int a, int b, int c)
{
	char *p = w;

	if (date) {
		*p++ = (char) ('0' + a / 1000);
		*p++ = (char) ('0' + a / 100 % 10);
	}
	*p++ = (char) ('0' + a / 10 % 10);
	*p++ = (char) ('0' + a % 10);
	*p++ = '-';
	*p++ = (char) ('0' + b / 10);
	*p++ = (char) ('0' + b % 10);
	*p++ = '-';
	*p++ = (char) ('0' + c / 10);
	*p++ = (char) ('0' + c % 10);
	return (gsize) (p - w);
}

/* A date or time as "%04d-%02d-%02d" and "%02d-%02d-%02d" print it: only
 * digits and '-', safe as they are.  The uncommon cases (odd values, too
 * little room left) apart, out of the way of the common one. */
static G_GNUC_NO_INLINE char *
put_clock_apart (char *o, char *end, gboolean date, int a, int b, int c)
{
	char buf[48];
	gsize n;

	if (a < 0 || a > (date ? 9999 : 99) || b < 0 || b > 99 || c < 0 || c > 99)
		n = (gsize) (date ? g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", a, b, c)
		                  : g_snprintf (buf, sizeof buf, "%02d-%02d-%02d", a, b, c));
	else
		n = write_clock (buf, date, a, b, c);
	n = MIN (n, (gsize) (end - o));
	memcpy (o, buf, n);
	return o + n;
}

static inline char *
put_clock (char *o, char *end, gboolean date, int a, int b, int c)
{
	if ((guint) a <= (date ? 9999u : 99u) && (guint) b <= 99 &&
	    (guint) c <= 99 && end - o >= (date ? 10 : 8))
		return o + write_clock (o, date, a, b, c);	/* in place */
	return put_clock_apart (o, end, date, a, b, c);
}

static char *
put_date (char *o, char *end, const RrecFilenameValues *v)
{
	if (v->start == NULL && v->clock_set)
		return put_clock (o, end, TRUE, v->clock[0], v->clock[1],
		                  v->clock[2]);
	if (v->start == NULL)
		return put_clock (o, end, TRUE, 1970, 1, 1);
	return put_clock (o, end, TRUE, g_date_time_get_year (v->start),
	                  g_date_time_get_month (v->start),
	                  g_date_time_get_day_of_month (v->start));
}

static char *
put_time (char *o, char *end, const RrecFilenameValues *v)
{
	if (v->start == NULL && v->clock_set)
		return put_clock (o, end, FALSE, v->clock[3], v->clock[4],
		                  v->clock[5]);
	if (v->start == NULL)
		return put_clock (o, end, FALSE, 0, 0, 0);
	return put_clock (o, end, FALSE, g_date_time_get_hour (v->start),
	                  g_date_time_get_minute (v->start),
	                  g_date_time_get_second (v->start));
}

gsize
rrec_filename_template_expand (const RrecFilenameTemplate *template_,
                               const RrecFilenameValues *values,
                               char out[RREC_FILENAME_MAX_LEN + 1])
{
	const Piece *p = template_->pieces;
	const Piece *last = p + template_->n_pieces;
	char *o = out;
	/* R29: at most 255 bytes; every rule below reads only the name's
	 * first byte or its length, so a name is cut as it is written */
	char *const end = out + RREC_FILENAME_MAX_LEN;

	for (; p < last && o < end; p++) {
		switch ((Var) p->var) {
		case VAR_LITERAL:
			o = put_literal (o, end, p);
			break;
		case VAR_CALLUUID:
			o = put_value (o, end, values->call_uuid);
			break;
		case VAR_CONNID:
			o = put_value (o, end, values->conn_id);
			break;
		case VAR_DN:
			o = put_value (o, end, values->dn);
			break;
		case VAR_ANI:
			o = put_value (o, end, values->ani);
			break;
		case VAR_DNIS:
			o = put_value (o, end, values->dnis);
			break;
		case VAR_PORT:
			o = put_value (o, end, values->port);
			break;
		case VAR_DATE:
			o = put_date (o, end, values);
			break;
		case VAR_TIME:
			o = put_time (o, end, values);
			break;
		}
	}
	/* R29: never empty, never "." or ".." (nor a hidden file) */
	if (o == out)
		*o++ = '_';
	if (out[0] == '.')
		out[0] = '_';
	*o = '\0';
	return (gsize) (o - out);
}

char *
rrec_filename_expand (const char *template_, const RrecFilenameValues *values)
{
	g_autoptr (RrecFilenameTemplate) t =
		rrec_filename_template_compile (template_, NULL);
	char name[RREC_FILENAME_MAX_LEN + 1];

	/* Validation makes this unreachable. */
	g_return_val_if_fail (t != NULL, NULL);
	rrec_filename_template_expand (t, values, name);
	return g_strdup (name);
}
