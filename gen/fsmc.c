/*
 * fsmc.c — the table compiler: fsm/NAME.fsm in, C tables, a Graphviz
 * diagram and a canonical transition listing out.
 *
 * The language is described in fsm/README.md.  The compiler refuses a
 * table that is not total, that has duplicate or conflicting rows, names it
 * does not declare, declarations it does not use, states it cannot reach or
 * states that cannot reach a final state; every refusal is printed as
 * "FILE:LINE: message" and the exit status is 1.
 *
 * Output is deterministic: names keep the order of their declaration and
 * nothing depends on the time or on hash order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "model.h"

static gboolean
read_file (const char *path, char **text, gsize *len)
{
	g_autoptr (GError) error = NULL;

	if (!g_file_get_contents (path, text, len, &error)) {
		g_printerr ("rrec-fsmc: %s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_file (const char *path, const GString *s)
{
	g_autoptr (GError) error = NULL;

	if (!g_file_set_contents (path, s->str, s->len, &error)) {
		g_printerr ("rrec-fsmc: %s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

int
main (int argc, char **argv)
{
	g_autofree char *source = NULL;
	g_autofree char *out_c = NULL;
	g_autofree char *out_h = NULL;
	g_autofree char *out_dot = NULL;
	g_autofree char *out_list = NULL;
	GOptionEntry entries[] = {
		{ "source-name", 'n', 0, G_OPTION_ARG_STRING, &source,
		  "Name of the table in messages (default: the path)", "NAME" },
		{ "c-output", 'c', 0, G_OPTION_ARG_FILENAME, &out_c,
		  "Write the C transition table here", "FILE" },
		{ "h-output", 'H', 0, G_OPTION_ARG_FILENAME, &out_h,
		  "Write the C header here", "FILE" },
		{ "dot-output", 'd', 0, G_OPTION_ARG_FILENAME, &out_dot,
		  "Write the Graphviz diagram here", "FILE" },
		{ "listing-output", 'l', 0, G_OPTION_ARG_FILENAME, &out_list,
		  "Write the canonical transition listing here", "FILE" },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx =
		g_option_context_new ("TABLE.fsm - compile a state table");
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;
	gsize len = 0;
	int status = 0;

	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"Exit status: 0 compiled, 1 the table was refused, 2 usage "
		"or I/O error.");
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		g_printerr ("rrec-fsmc: %s\n", error->message);
		return 2;
	}
	if (argc != 2) {
		g_printerr ("rrec-fsmc: exactly one table expected\n");
		return 2;
	}
	/* The name goes into C strings and comments as it is. */
	const char *name = source ? source : argv[1];
	for (const char *c = name; *c; c++) {
		if (!g_ascii_isalnum (*c) && !strchr ("_./-+", *c)) {
			g_printerr ("rrec-fsmc: the table's name '%s' may hold only "
				    "letters, digits and _ . / - +\n", name);
			return 2;
		}
	}
	if (!read_file (argv[1], &text, &len))
		return 2;

	Fsm *fsm = fsm_compile (source ? source : argv[1], argv[1], text, len);
	if (fsm->n_errors > 0) {
		fsm_free (fsm);
		return 1;
	}

	struct {
		const char *path;
		GString *(*emit) (const Fsm *, const char *);
	} outputs[] = {
		{ out_h, emit_header },
		{ out_c, emit_c },
		{ out_dot, emit_dot },
		{ out_list, emit_listing },
	};
	g_autofree char *header_base = out_h ? g_path_get_basename (out_h) : NULL;
	for (gsize i = 0; i < G_N_ELEMENTS (outputs); i++) {
		if (outputs[i].path == NULL)
			continue;
		GString *s = outputs[i].emit (fsm, header_base);
		if (!write_file (outputs[i].path, s))
			status = 2;
		g_string_free (s, TRUE);
	}
	fsm_free (fsm);
	return status;
}
