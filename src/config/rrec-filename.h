/*
 * rrec-filename.h — the recording's file name from the
 * `recording-filename` template (R29).
 *
 * A template is text with variables between dollar signs:
 *
 *     $CALLUUID$ $CONNID$ $DN$ $ANI$ $DNIS$ $DATE$ $TIME$ $PORT$
 *
 * `$DN$` is the session's owner (R13), `$DATE$` is YYYY-MM-DD and `$TIME$`
 * hh-mm-ss, both of the session's start.  An empty template is the default
 * one, `$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$`.
 *
 * Decisions where behaviour.md is silent:
 *   - Names are case-sensitive: `$dn$` is an unknown variable.  Every '$'
 *     opens a variable; there is no escape for a literal '$' (it would
 *     become '_' anyway).  An unterminated `$NAME` is an error.
 *   - An absent value (NULL) expands to "".
 *   - The expansion is made one safe file-name component byte by byte:
 *     bytes outside `A-Z a-z 0-9 + . _ -` become '_' (so a multi-byte
 *     UTF-8 character becomes several '_'), so '/' never survives.
 *   - A leading '.' becomes '_': this rules out "." and ".." and also
 *     hidden files; an empty result becomes "_".
 *   - The result is cut to RREC_FILENAME_MAX_LEN bytes (all ASCII by then,
 *     so no character is split).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RREC_FILENAME_DEFAULT_TEMPLATE \
	"$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$"

/* NAME_MAX of the common file systems. */
#define RREC_FILENAME_MAX_LEN 255

/* The values a template can name; any may be NULL. */
typedef struct {
	const char *call_uuid;
	const char *conn_id;
	const char *dn;
	const char *ani;
	const char *dnis;
	const char *port;
	/* The session's start; NULL stands for clock when clock_set, else
	 * for 1970-01-01 00:00:00. */
	GDateTime *start;
	/* the start as year, month, day, hour, minute, second (no GDateTime
	 * to make per session) */
	gboolean clock_set;
	int clock[6];
} RrecFilenameValues;

/*
 * A template compiled once (when the configuration is loaded): its
 * literal runs already made safe and its variables as codes, so that a
 * dial neither parses the template nor looks a name up (issue #14).
 * Immutable once made: shared by every engine of its configuration.
 */
typedef struct _RrecFilenameTemplate RrecFilenameTemplate;

/*
 * C2: TEMPLATE compiled; NULL or "" is the default template.  NULL, with
 * ERROR set (RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_INVALID_VALUE) to a
 * message that names the variable and lists the known ones, when TEMPLATE
 * names an unknown variable or leaves one open.
 */
RrecFilenameTemplate *rrec_filename_template_compile (const char *template_,
                                                      GError **error);
void rrec_filename_template_free (RrecFilenameTemplate *template_);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecFilenameTemplate,
                               rrec_filename_template_free)

/* Whether TEMPLATE names $PORT$ (a caller need not make the port's text
 * for a template that does not). */
gboolean rrec_filename_template_uses_port (const RrecFilenameTemplate *template_);

/*
 * R29: the file name for VALUES written into OUT, NUL-terminated; returns
 * its length (1 to RREC_FILENAME_MAX_LEN).  No allocation.  OUT's bytes
 * after the NUL are unspecified.
 */
gsize rrec_filename_template_expand (const RrecFilenameTemplate *template_,
                                     const RrecFilenameValues *values,
                                     char out[RREC_FILENAME_MAX_LEN + 1]);

/* C2: whether TEMPLATE compiles (rrec_filename_template_compile()). */
gboolean rrec_filename_template_validate (const char *template_,
                                          GError **error);

/*
 * R29: the file name for VALUES, newly allocated: TEMPLATE compiled and
 * expanded (for callers that expand a template once).  TEMPLATE must have
 * passed rrec_filename_template_validate(); NULL or "" is the default
 * template.
 */
char *rrec_filename_expand (const char *template_,
                            const RrecFilenameValues *values);

G_END_DECLS
