/*
 * fuzz-fsmc.c — the table compiler (gen/model.c, gen/lexer.rl, gen/emit.c)
 * on any text as a state table.
 *
 * It must refuse bad tables with messages, never crash, leak or read out of
 * bounds; a table it accepts must emit all four outputs, the same on a
 * second compilation (its output is deterministic, architecture.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "fuzz.h"

static GString *
emit_all (const Fsm *fsm)
{
	GString *all = g_string_new (NULL);
	GString *(*emit[]) (const Fsm *, const char *) = {
		emit_header, emit_c, emit_dot, emit_listing,
	};

	for (guint i = 0; i < G_N_ELEMENTS (emit); i++) {
		GString *s = emit[i] (fsm, "fuzz-fsm.h");
		g_string_append_len (all, s->str, (gssize) s->len);
		g_string_free (s, TRUE);
	}
	return all;
}

/* The compiler wants a machine named after its file: name the file after
 * the first `machine NAME` of the input, so that real tables get past that
 * check and the fuzzer reaches the checks behind it. */
static char *
path_for (const char *text, size_t size)
{
	static const char key[] = "machine ";
	const char *end = text + size;

	for (const char *p = text; p + sizeof key - 1 < end; p++) {
		if (memcmp (p, key, sizeof key - 1) != 0)
			continue;
		const char *n = p + sizeof key - 1, *q = n;
		while (q < end && (g_ascii_isalnum (*q) || *q == '_'))
			q++;
		if (q > n)
			return g_strdup_printf ("%.*s.fsm", (int) (q - n), n);
	}
	return g_strdup ("fuzz.fsm");
}

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
	g_autofree char *path = path_for ((const char *) data, size);

	/* the compiler reports to stderr: tools/dev fuzz runs libFuzzer
	 * with -close_fd_mask=2 unless asked to show it */
	Fsm *fsm = fsm_compile (path, path, (const char *) data, size);
	if (fsm == NULL)
		return 0;
	if (fsm->n_errors == 0) {
		GString *a = emit_all (fsm);
		Fsm *again = fsm_compile (path, path, (const char *) data, size);
		if (again == NULL || again->n_errors != 0)
			FUZZ_FAIL ("a table accepted once is refused the second time");
		GString *b = emit_all (again);
		if (!g_string_equal (a, b))
			FUZZ_FAIL ("two compilations of one table emit different text");
		g_string_free (a, TRUE);
		g_string_free (b, TRUE);
		fsm_free (again);
	}
	fsm_free (fsm);
	return 0;
}
