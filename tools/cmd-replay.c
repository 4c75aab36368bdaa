/*
 * cmd-replay.c — `rrec replay`.
 *
 * The log replay is not built yet: until the engine and the log reader are
 * wired together, `rrec replay` shows the machines it would run.
 */
#include <stdio.h>

#include "rrec-fsm-format.h"
#include "rrec-machines.h"
#include "rrec-tool.h"

int
rrec_cmd_replay (int argc, char **argv)
{
	g_autoptr (GOptionContext) ctx = g_option_context_new (
		"[LOG…] - replay a T-Server log through the engine");
	g_autoptr (GError) error = NULL;

	g_option_context_set_description (ctx,
		"Not built yet: the replay of logs comes with the engine. For "
		"now this prints\nthe compiled machines that the replay will run.");
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		g_printerr ("rrec replay: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	if (argc > 1) {
		g_printerr ("rrec replay: replaying logs is not built yet\n");
		return RREC_EXIT_USAGE;
	}

	g_printerr ("rrec replay: the log replay is not built yet; these are "
		    "the compiled machines it will run:\n");
	for (guint i = 0; rrec_machines[i]; i++) {
		g_autoptr (GString) out = g_string_new (NULL);
		rrec_fsm_format_listing (rrec_machines[i], out);
		if (i > 0)
			putchar ('\n');
		fwrite (out->str, 1, out->len, stdout);
	}
	return RREC_EXIT_OK;
}
