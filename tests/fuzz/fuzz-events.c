/*
 * fuzz-events.c — arbitrary event sequences from the explorer's universe
 * (tests/explore-model.c) into the engine, with the invariants I1-I7
 * checked after each step.
 *
 * The first byte chooses record-moh (bit 0) and the port limit (bits 1-2:
 * 0, 1 or 2 ports); each further byte chooses one of the events enabled at
 * that point.  Every step is also made on a twin restored from the
 * engine's saved bytes (I8: rrec_engine_restore gives an engine that acts
 * exactly as the saved one would have, engine.h): both must end in the
 * same saved bytes.  Unlike the explorer, nothing is renamed, so the
 * engine's own numbering runs on as in production.
 *
 * The twin is restored faithfully only with RREC_FUZZ_STRICT=1 (as the
 * corpus test runs it): rrec_engine_restore() is known to lose R30's
 * "a call is blocked" flag (tests/fuzz/regress/events/, .xfail), and that
 * bug is so easy to reach that libFuzzer, which stops at the first crash,
 * would find nothing else.  Otherwise the twin gets the same mending as the
 * explorer's states (world_restore).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore-model.h"
#include "fuzz.h"

static RrecConfig *configs[2][3];

static void G_GNUC_NORETURN
fail (GPtrArray *done, const char *what)
{
	fprintf (stderr, "%s\nafter the events:\n", what);
	for (guint i = 0; i < done->len; i++)
		fprintf (stderr, "  %u. %s\n", i + 1,
			 (const char *) g_ptr_array_index (done, i));
	abort ();
}

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
	static int strict = -1;

	if (strict < 0)
		strict = g_strcmp0 (g_getenv ("RREC_FUZZ_STRICT"), "1") == 0;
	if (size < 1)
		return 0;

	gboolean moh = data[0] & 1;
	guint ports = (data[0] >> 1 & 3) % 3;
	if (configs[moh][ports] == NULL) {
		WorldOptions opt = { moh, ports };
		configs[moh][ports] = world_config_new (&opt);
	}
	RrecConfig *config = configs[moh][ports];
	World *w = world_new (config, FALSE);
	GArray *events = g_array_new (FALSE, FALSE, sizeof (WorldEvent));
	GPtrArray *done = g_ptr_array_new_with_free_func (g_free);

	for (size_t i = 1; i < size; i++) {
		g_array_set_size (events, 0);
		world_enabled (w, events);
		WorldEvent ev = g_array_index (events, WorldEvent, data[i] % events->len);

		g_ptr_array_add (done, world_event_describe (w, ev));
		GBytes *saved = world_save (w);
		World *twin = world_restore (config, saved, !strict);
		g_bytes_unref (saved);

		if (!world_step (w, ev))
			fail (done, world_violation (w));
		world_step (twin, ev);
		GBytes *a = world_save (w);
		GBytes *b = world_save (twin);
		if (!g_bytes_equal (a, b) ||
		    strcmp (world_actions (w), world_actions (twin)) != 0) {
			gsize na, nb, at = 0;
			const guint8 *pa = g_bytes_get_data (a, &na);
			const guint8 *pb = g_bytes_get_data (b, &nb);

			while (at < na && at < nb && pa[at] == pb[at])
				at++;
			if (g_getenv ("FUZZ_DUMP")) {
				for (gsize k = 0; k < na; k++)
					fprintf (stderr, "%02x%s", pa[k], k % 32 == 31 ? "\n" : " ");
				fprintf (stderr, "\n");
				for (gsize k = 0; k < nb; k++)
					fprintf (stderr, "%02x%s", pb[k], k % 32 == 31 ? "\n" : " ");
				fprintf (stderr, "\n");
			}
			g_autofree char *what = g_strdup_printf (
				"I8: the engine restored from its saved bytes acts "
				"differently from the one saved at the last event "
				"(saved states of %zu and %zu bytes differ from byte "
				"%zu on):\n--- saved engine:\n%s--- restored engine:\n%s---",
				na, nb, at, world_actions (w), world_actions (twin));
			fail (done, what);
		}
		g_bytes_unref (a);
		g_bytes_unref (b);
		world_free (twin);
	}
	world_free (w);
	g_array_unref (events);
	g_ptr_array_unref (done);
	return 0;
}
