/*
 * filename.c — expanding the `recording-filename` template (R29) into one
 * safe file-name component.
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
	N_VARS
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

gboolean
rrec_filename_template_validate (const char *template_, GError **error)
{
	const char *p = template_;

	if (template_ == NULL)
		return TRUE;

	while ((p = strchr (p, '$')) != NULL) {
		const char *name = p + 1;
		const char *end = strchr (name, '$');

		if (end == NULL) {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_INVALID_VALUE,
			             "'%s' opens a variable that has no closing '$' "
			             "(known: " KNOWN_VARS ")", p);
			return FALSE;
		}
		if (lookup_var (name, end - name) == N_VARS) {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_INVALID_VALUE,
			             "unknown variable '$%.*s$' (known: "
			             KNOWN_VARS ")", (int) (end - name), name);
			return FALSE;
		}
		p = end + 1;
	}
	return TRUE;
}

/* "YYYY-MM-DD" or "hh-mm-ss", as "%04d-%02d-%02d" and "%02d-%02d-%02d"
 * print them; the common values (a year of 0 … 9999, the others 0 … 99)
 * written by hand, no printf per file name. */
static void
append_clock (GString *out, gboolean date, int a, int b, int c)
{
	char buf[48];

	if (a < 0 || a > (date ? 9999 : 99) || b < 0 || b > 99 || c < 0 || c > 99) {
		if (date)
			g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", a, b, c);
		else
			g_snprintf (buf, sizeof buf, "%02d-%02d-%02d", a, b, c);
		g_string_append (out, buf);
		return;
	}
	char *p = buf;

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
	g_string_append_len (out, buf, p - buf);
}

static void
append_var (GString *out, Var var, const RrecFilenameValues *values)
{
	const char *s = NULL;

	switch (var) {
	case VAR_CALLUUID:
		s = values->call_uuid;
		break;
	case VAR_CONNID:
		s = values->conn_id;
		break;
	case VAR_DN:
		s = values->dn;
		break;
	case VAR_ANI:
		s = values->ani;
		break;
	case VAR_DNIS:
		s = values->dnis;
		break;
	case VAR_PORT:
		s = values->port;
		break;
	case VAR_DATE:
		if (values->start == NULL && values->clock_set)
			append_clock (out, TRUE, values->clock[0],
			              values->clock[1], values->clock[2]);
		else if (values->start == NULL)
			g_string_append (out, "1970-01-01");
		else
			append_clock (out, TRUE, g_date_time_get_year (values->start),
			              g_date_time_get_month (values->start),
			              g_date_time_get_day_of_month (values->start));
		return;
	case VAR_TIME:
		if (values->start == NULL && values->clock_set)
			append_clock (out, FALSE, values->clock[3],
			              values->clock[4], values->clock[5]);
		else if (values->start == NULL)
			g_string_append (out, "00-00-00");
		else
			append_clock (out, FALSE, g_date_time_get_hour (values->start),
			              g_date_time_get_minute (values->start),
			              g_date_time_get_second (values->start));
		return;
	case N_VARS:
		g_assert_not_reached ();
	}
	if (s != NULL)
		g_string_append (out, s);
}

static gboolean
is_safe_byte (char c)
{
	return g_ascii_isalnum (c) || c == '+' || c == '.' || c == '_' ||
	       c == '-';
}

char *
rrec_filename_expand (const char *template_, const RrecFilenameValues *values)
{
	GString *out = g_string_new (NULL);

	if (!rrec_filename_expand_into (template_, values, out))
		return g_string_free (out, TRUE);
	return g_string_free (out, FALSE);
}

gboolean
rrec_filename_expand_into (const char *template_,
                           const RrecFilenameValues *values, GString *out)
{
	const char *p;

	g_string_truncate (out, 0);
	if (template_ == NULL || *template_ == '\0')
		template_ = RREC_FILENAME_DEFAULT_TEMPLATE;

	for (p = template_; *p != '\0'; ) {
		const char *end;
		Var var;

		if (*p != '$') {
			/* the literal text up to the next variable, at once */
			const char *dollar = strchr (p, '$');
			gsize n = dollar ? (gsize) (dollar - p) : strlen (p);

			g_string_append_len (out, p, n);
			p += n;
			continue;
		}
		end = strchr (p + 1, '$');
		var = end != NULL ? lookup_var (p + 1, end - p - 1) : N_VARS;
		/* Validation makes this unreachable; keep the text if not. */
		g_return_val_if_fail (var != N_VARS, FALSE);
		append_var (out, var, values);
		p = end + 1;
	}

	/* R29: one component, none of '/', '.', '..', at most 255 bytes. */
	for (gsize i = 0; i < out->len; i++)
		if (!is_safe_byte (out->str[i]))
			out->str[i] = '_';
	if (out->len == 0)
		g_string_append_c (out, '_');
	if (out->str[0] == '.')
		out->str[0] = '_';
	if (out->len > RREC_FILENAME_MAX_LEN)
		g_string_truncate (out, RREC_FILENAME_MAX_LEN);
	return TRUE;
}
