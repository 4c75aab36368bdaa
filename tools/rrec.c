/*
 * rrec.c — the `rrec` command line: one binary, one sub-command per job.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rrec/rrec.h"
#include "rrec-fsm-format.h"
#include "rrec-machines.h"
#include "rrec-tool.h"
#include "cmd-parse.h"

static gboolean
each_machine (const char *name, void (*show) (const RrecFsmMachine *, GString *),
	      GString *out)
{
	if (name != NULL) {
		const RrecFsmMachine *m = rrec_machine_lookup (name);

		if (m == NULL) {
			g_printerr ("rrec: no machine named '%s' (known:", name);
			for (guint i = 0; rrec_machines[i]; i++)
				g_printerr (" %s", rrec_machines[i]->name);
			g_printerr (")\n");
			return FALSE;
		}
		show (m, out);
		return TRUE;
	}
	for (guint i = 0; rrec_machines[i]; i++) {
		if (i > 0)
			g_string_append_c (out, '\n');
		show (rrec_machines[i], out);
	}
	return TRUE;
}

static int
cmd_tables (int argc, char **argv)
{
	g_autoptr (GOptionContext) ctx = g_option_context_new (
		"[MACHINE] - print the compiled state tables");
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) out = g_string_new (NULL);

	g_option_context_set_description (ctx,
		"Prints every row of every (state, event) pair as the engine was "
		"built with it.\nWithout MACHINE, every machine.");
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		g_printerr ("rrec tables: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	if (argc > 2) {
		g_printerr ("rrec tables: at most one MACHINE\n");
		return RREC_EXIT_USAGE;
	}
	if (!each_machine (argc == 2 ? argv[1] : NULL, rrec_fsm_format_listing, out))
		return RREC_EXIT_USAGE;
	fwrite (out->str, 1, out->len, stdout);
	return RREC_EXIT_OK;
}

static int
cmd_graph (int argc, char **argv)
{
	g_autofree char *format = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "dot (default) or svg (needs Graphviz's dot)", "FORMAT" },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx = g_option_context_new (
		"[MACHINE] - draw the compiled state machines");
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) out = g_string_new (NULL);

	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		g_printerr ("rrec graph: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	if (argc > 2) {
		g_printerr ("rrec graph: at most one MACHINE\n");
		return RREC_EXIT_USAGE;
	}
	if (format && strcmp (format, "dot") != 0 && strcmp (format, "svg") != 0) {
		g_printerr ("rrec graph: --format: '%s' is not one of dot, svg\n",
			    format);
		return RREC_EXIT_USAGE;
	}
	if (!each_machine (argc == 2 ? argv[1] : NULL, rrec_fsm_format_dot, out))
		return RREC_EXIT_USAGE;
	if (format == NULL || strcmp (format, "dot") == 0) {
		fwrite (out->str, 1, out->len, stdout);
		return RREC_EXIT_OK;
	}
	if (argc != 2) {
		g_printerr ("rrec graph: --format svg draws one MACHINE at a time\n");
		return RREC_EXIT_USAGE;
	}

	g_autofree char *dot = g_find_program_in_path ("dot");
	if (dot == NULL) {
		g_printerr ("rrec graph: --format svg needs Graphviz's 'dot' "
			    "(apt-get install graphviz); --format dot works without it\n");
		return RREC_EXIT_USAGE;
	}
	const char *dargv[] = { dot, "-Tsvg", NULL };
	g_autoptr (GSubprocess) p = NULL;
	p = g_subprocess_newv (dargv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
			       G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
	g_autofree char *svg = NULL;
	if (p == NULL || !g_subprocess_communicate_utf8 (p, out->str, NULL, &svg,
							 NULL, &error)) {
		g_printerr ("rrec graph: running dot: %s\n", error->message);
		return RREC_EXIT_INPUT;
	}
	if (!g_subprocess_get_successful (p)) {
		g_printerr ("rrec graph: dot failed\n");
		return RREC_EXIT_INPUT;
	}
	fputs (svg, stdout);
	return RREC_EXIT_OK;
}

static const RrecToolCommand commands[] = {
	{ "replay", "replay a T-Server log through the engine", rrec_cmd_replay },
	{ "parse", "print the blocks of a log as the reader sees them (JSON)",
	  rrec_cmd_parse },
	{ "tables", "print the compiled state tables", cmd_tables },
	{ "graph", "draw the compiled state machines (dot or svg)", cmd_graph },
	{ "check-config", "check a configuration file and show what it sets",
	  rrec_cmd_check_config },
	{ "bench", "measure dispatch, engine, memory, reader and replay speed",
	  rrec_cmd_bench },
	{ NULL, NULL, NULL },
};

static void
usage (FILE *to)
{
	fprintf (to, "Usage: rrec COMMAND [OPTION…] [ARG…]\n\n"
		 "The remote-recording control engine of a T-Server, on the "
		 "command line.\n\nCommands:\n");
	for (guint i = 0; commands[i].name; i++)
		fprintf (to, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf (to, "\n'rrec COMMAND --help' describes a command; "
		 "'rrec --version' prints the version.\n");
}

int
main (int argc, char **argv)
{
	setlocale (LC_ALL, "");
	/* stdout carries nothing but the command's output (§6) */
	g_log_writer_default_set_use_stderr (TRUE);
	if (argc < 2) {
		usage (stderr);
		return RREC_EXIT_USAGE;
	}
	if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0) {
		printf ("rrec %s\n", rrec_version ());
		return RREC_EXIT_OK;
	}
	if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
	    strcmp (argv[1], "help") == 0) {
		usage (stdout);
		return RREC_EXIT_OK;
	}
	for (guint i = 0; commands[i].name; i++) {
		if (strcmp (argv[1], commands[i].name) == 0) {
			g_autofree char *prg = g_strdup_printf ("rrec %s", argv[1]);
			g_set_prgname (prg);
			argv[1] = prg;
			return commands[i].run (argc - 1, argv + 1);
		}
	}
	fprintf (stderr, "rrec: unknown command '%s'\n\n", argv[1]);
	usage (stderr);
	return RREC_EXIT_USAGE;
}
