/*
 * test-machines.c — every machine compiled from fsm/, driven through every
 * (state, event) pair and every way through its guard chain, compared with
 * the golden listing tests/golden/<machine>.transitions.
 *
 * The listing is rebuilt here from what the dispatcher *does* (the state it
 * sets, the actions it calls, in order), not from the table's text, so a
 * change of a row, of the compiler or of the dispatcher shows up as a diff
 * against the checked-in golden file.
 */
#include <string.h>

#include "rrec-fsm.h"
#include "rrec-machines.h"
#include "test-util.h"

#define MAX_GUARDS 64
#define MAX_ACTIONS 128

typedef struct {
	const RrecFsmMachine *m;
	gint8 value[MAX_GUARDS];	/* -1: must not be asked */
	GString *trace;			/* actions run, in order */
	GPtrArray *rules;		/* the rule told before each action, and
					 * NULL after the last */
	gboolean asked_unset;
} Mock;

static void
mock_rule (gpointer o, const char *rule)
{
	Mock *mock = o;

	if (mock->rules)
		g_ptr_array_add (mock->rules, (gpointer) rule);
}

static gboolean
mock_guard (Mock *mock, guint i)
{
	if (mock->value[i] < 0) {
		mock->asked_unset = TRUE;
		return FALSE;
	}
	return mock->value[i] == 1;
}

static void
mock_action (Mock *mock, guint i)
{
	g_string_append_printf (mock->trace, "%s%s",
				mock->trace->len ? ", " : " / ",
				mock->m->action_names[i]);
}

/* One trampoline per guard and action index: a dispatcher binding holds
 * plain function pointers, and each must know which entry it stands for.
 * Block b (from 1), digit d stands for index (b - 1) * 8 + d. */
#define G1(b, d) static gboolean g_##b##_##d (gpointer o, gconstpointer x) \
	{ return mock_guard (o, ((b) - 1) * 8 + (d)); }
#define A1(b, d) static void a_##b##_##d (gpointer o, gconstpointer x) \
	{ mock_action (o, ((b) - 1) * 8 + (d)); }
#define X8(M, b) M (b, 0) M (b, 1) M (b, 2) M (b, 3) M (b, 4) M (b, 5) M (b, 6) M (b, 7)
#define X64(M) X8 (M, 1) X8 (M, 2) X8 (M, 3) X8 (M, 4) X8 (M, 5) X8 (M, 6) X8 (M, 7) X8 (M, 8)
#define X128(M) X64 (M) X8 (M, 9) X8 (M, 10) X8 (M, 11) X8 (M, 12) \
	X8 (M, 13) X8 (M, 14) X8 (M, 15) X8 (M, 16)
X64 (G1)
X128 (A1)
#define RG(b, d) g_##b##_##d,
#define RA(b, d) a_##b##_##d,
static const RrecFsmGuardFunc mock_guards[MAX_GUARDS] = { X64 (RG) };
static const RrecFsmActionFunc mock_actions[MAX_ACTIONS] = { X128 (RA) };

static gboolean
row_holds (const RrecFsmMachine *m, const RrecFsmRow *r, const gint8 *value)
{
	for (guint k = 0; k < r->n_lits; k++) {
		guint lit = m->lits[r->first_lit + k];
		if (value[lit >> 1] == (gint8) (lit & 1))
			return FALSE;
	}
	return TRUE;
}

/* Drives one pair under one full assignment of the guards its rows name;
 * returns the outcome as the listing writes it, and the row that applied. */
static char *
drive_once (const RrecFsmBinding *b, guint s, guint e, const gint8 *value,
	    const RrecFsmRow **row)
{
	const RrecFsmMachine *m = b->machine;
	Mock mock = { .m = m, .trace = g_string_new (NULL),
		      .rules = g_ptr_array_new () };
	guint state = s;
	char *out = NULL;

	memcpy (mock.value, value, sizeof mock.value);
	RrecFsmResult res = rrec_fsm_step (b, &state, e, &mock, NULL, row);
	g_assert_false (mock.asked_unset);

	/* a caller that does not ask for the row (the engine) takes the
	 * step's short way: the same guards, actions, rules and state */
	{
		Mock again = { .m = m, .trace = g_string_new (NULL),
			       .rules = g_ptr_array_new () };
		guint state2 = s;

		memcpy (again.value, value, sizeof again.value);
		g_assert_cmpint (rrec_fsm_step (b, &state2, e, &again, NULL, NULL),
				 ==, res);
		g_assert_false (again.asked_unset);
		g_assert_cmpuint (state2, ==, state);
		g_assert_cmpstr (again.trace->str, ==, mock.trace->str);
		g_assert_cmpuint (again.rules->len, ==, mock.rules->len);
		for (guint i = 0; i < mock.rules->len; i++)
			g_assert_true (g_ptr_array_index (again.rules, i) ==
				       g_ptr_array_index (mock.rules, i));
		g_string_free (again.trace, TRUE);
		g_ptr_array_free (again.rules, TRUE);
	}
	/* and a binding that does not hear rules gets the same actions */
	{
		RrecFsmBinding plain = *b;
		Mock again = { .m = m, .trace = g_string_new (NULL) };
		guint state2 = s;

		plain.rule = NULL;
		memcpy (again.value, value, sizeof again.value);
		g_assert_cmpint (rrec_fsm_step (&plain, &state2, e, &again, NULL, NULL),
				 ==, res);
		g_assert_false (again.asked_unset);
		g_assert_cmpuint (state2, ==, state);
		g_assert_cmpstr (again.trace->str, ==, mock.trace->str);
		g_string_free (again.trace, TRUE);
	}
	switch (res) {
	case RREC_FSM_MOVED:
		/* each action was told the rule its row serves, then NULL */
		if ((*row)->n_actions == 0) {
			g_assert_cmpuint (mock.rules->len, ==, 0);
		} else {
			g_assert_cmpuint (mock.rules->len, ==, (*row)->n_actions + 1u);
			for (guint i = 0; i < (*row)->n_actions; i++)
				g_assert_cmpstr (g_ptr_array_index (mock.rules, i), ==,
						 rrec_fsm_action_rule (m, *row, i));
			g_assert_null (g_ptr_array_index (mock.rules, (*row)->n_actions));
			/* and a row that acts names its rules (fsm/README.md) */
			g_assert_cmpuint ((*row)->n_rules, >, 0);
		}
		out = g_strdup_printf ("-> %s%s", m->state_names[state],
				       mock.trace->str);
		break;
	case RREC_FSM_IGNORED:
	case RREC_FSM_REJECTED:
		/* neither may run anything or move */
		g_assert_cmpuint (state, ==, s);
		g_assert_cmpuint (mock.trace->len, ==, 0);
		out = g_strdup (res == RREC_FSM_IGNORED ? "ignore" : "reject");
		break;
	case RREC_FSM_UNMATCHED:
	case RREC_FSM_INVALID:
		g_error ("%s: %s %s: %s", m->name, m->state_names[s],
			 m->event_names[e], rrec_fsm_result_to_string (res));
	}
	g_string_free (mock.trace, TRUE);
	g_ptr_array_free (mock.rules, TRUE);
	return out;
}

/*
 * For each row of the pair, every assignment of the pair's guards under
 * which the row's condition holds must reach that row and give one and the
 * same outcome; every assignment must reach some row.
 */
static guint
drive_pair (const RrecFsmBinding *b, guint s, guint e, GString *out)
{
	const RrecFsmMachine *m = b->machine;
	const RrecFsmCell *cell = &m->cells[s * m->n_events + e];
	guint guards[MAX_GUARDS], n = 0;

	for (guint i = 0; i < cell->n_rows; i++) {
		const RrecFsmRow *r = &m->rows[cell->first_row + i];
		for (guint k = 0; k < r->n_lits; k++) {
			guint g = m->lits[r->first_lit + k] >> 1;
			gboolean known = FALSE;
			for (guint j = 0; j < n; j++)
				known = known || guards[j] == g;
			if (!known)
				guards[n++] = g;
		}
	}
	g_assert_cmpuint (n, <=, 12);

	g_autofree char **outcome = g_new0 (char *, cell->n_rows);
	for (guint bits = 0; bits < (1u << n); bits++) {
		gint8 value[MAX_GUARDS];
		const RrecFsmRow *hit = NULL;

		memset (value, -1, sizeof value);
		for (guint j = 0; j < n; j++)
			value[guards[j]] = (bits >> j) & 1;

		char *got = drive_once (b, s, e, value, &hit);
		guint i = hit - &m->rows[cell->first_row];
		g_assert_cmpuint (i, <, cell->n_rows);
		g_assert_true (row_holds (m, hit, value));
		if (outcome[i] == NULL) {
			outcome[i] = got;
		} else {
			g_assert_cmpstr (outcome[i], ==, got);
			g_free (got);
		}
	}

	for (guint i = 0; i < cell->n_rows; i++) {
		const RrecFsmRow *r = &m->rows[cell->first_row + i];

		g_assert_nonnull (outcome[i]);	/* a row no case reaches */
		g_string_append_printf (out, "%s %s ", m->state_names[s],
					m->event_names[e]);
		for (guint k = 0; k < r->n_lits; k++) {
			guint lit = m->lits[r->first_lit + k];
			g_string_append_printf (out, "%s%s%s", k ? " & " : "[",
						lit & 1 ? "!" : "",
						m->guard_names[lit >> 1]);
		}
		g_string_append_printf (out, "%s%s", r->n_lits ? "] " : "",
					outcome[i]);
		for (guint k = 0; k < r->n_rules; k++)
			g_string_append_printf (out, "%s%s", k ? ", " : " rule ",
						m->rule_names[m->row_rules[r->first_rule + k]]);
		g_string_append_c (out, '\n');
		g_free (outcome[i]);
	}
	return cell->n_rows;
}

static char *
drive_machine (const RrecFsmMachine *m, guint *pairs)
{
	RrecFsmBinding b = { m, mock_guards, mock_actions, NULL, mock_rule };
	GString *out = g_string_new (NULL);

	g_assert_cmpuint (m->n_guards, <=, MAX_GUARDS);
	g_assert_cmpuint (m->n_actions, <=, MAX_ACTIONS);
	g_assert_true (rrec_fsm_binding_is_complete (&b));

	g_string_append_printf (out, "# %s: %u states, %u events, %u pairs\n",
				m->name, m->n_states, m->n_events,
				m->n_states * m->n_events);
	*pairs = 0;
	for (guint s = 0; s < m->n_states; s++) {
		for (guint e = 0; e < m->n_events; e++) {
			/* every pair must be covered by some row */
			g_assert_cmpuint (drive_pair (&b, s, e, out), >, 0);
			(*pairs)++;
		}
	}
	return g_string_free (out, FALSE);
}

/* How many names the table's source declares on its @word lines
 * ("states", "events"): read from fsm/NAME.fsm itself, not from what the
 * compiler made of it. */
static guint
declared (const RrecFsmMachine *m, const char *word)
{
	g_autofree char *file = g_strconcat (m->name, ".fsm", NULL);
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "fsm",
						       file, NULL);
	g_autofree char *text = NULL;
	g_auto (GStrv) lines = NULL;
	guint n = 0;

	g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
	lines = g_strsplit (text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *hash = strchr (lines[i], '#');
		g_auto (GStrv) words = NULL;

		if (hash)
			*hash = '\0';
		g_strdelimit (lines[i], ",\t", ' ');
		words = g_strsplit (lines[i], " ", -1);
		if (words[0] == NULL || strcmp (words[0], word) != 0)
			continue;
		for (guint k = 1; words[k]; k++)
			n += words[k][0] != '\0';
	}
	return n;
}

static void
test_exhaustive (gconstpointer data)
{
	const RrecFsmMachine *m = data;
	g_autofree char *golden_path = NULL;
	g_autofree char *golden = NULL;
	g_autoptr (GError) error = NULL;
	guint pairs, interpreted_pairs;
	g_autofree char *driven = drive_machine (m, &pairs);
	/* the same table without the compiler's cell code: the step walks
	 * rows, literals and action lists itself, and must do the same */
	RrecFsmMachine rows_only = *m;
	rows_only.cell_funcs = NULL;
	g_autofree char *interpreted = drive_machine (&rows_only, &interpreted_pairs);

	g_assert_nonnull (m->cell_funcs);
	test_assert_same_text ("the compiled cell code", driven,
			       "the rows interpreted", interpreted);

	golden_path = g_test_build_filename (G_TEST_DIST, "golden", m->name, NULL);
	{
		char *p = g_strconcat (golden_path, ".transitions", NULL);
		g_free (golden_path);
		golden_path = p;
	}
	if (!g_file_get_contents (golden_path, &golden, NULL, &error)) {
		g_test_message ("no golden listing: %s\nthe driven listing is:\n%s",
				error->message, driven);
		g_test_fail ();
		return;
	}
	test_assert_same_text (golden_path, golden, "driven tables", driven);
	g_test_message ("%s: covered %u (state, event) pairs", m->name, pairs);
	/* every pair the source declares, counted apart from the loop that
	 * drove them */
	g_assert_cmpuint (m->n_states, ==, declared (m, "states"));
	g_assert_cmpuint (m->n_events, ==, declared (m, "events"));
	g_assert_cmpuint (pairs, ==, declared (m, "states") * declared (m, "events"));
}

/* The compiler's own listing agrees with the golden one too. */
static void
test_compiler_listing (gconstpointer data)
{
	const RrecFsmMachine *m = data;
	g_autofree char *file = g_strconcat (m->name, ".transitions", NULL);
	g_autofree char *built = g_test_build_filename (G_TEST_BUILT, "..", "fsm",
							 file, NULL);
	g_autofree char *golden_path = g_test_build_filename (G_TEST_DIST, "golden",
							      file, NULL);
	g_autofree char *a = NULL, *b = NULL;

	g_assert_true (g_file_get_contents (golden_path, &a, NULL, NULL));
	g_assert_true (g_file_get_contents (built, &b, NULL, NULL));
	test_assert_same_text (golden_path, a, built, b);
}

/* Each trampoline stands for its own index, or the listings lie. */
static void
test_mock_layout (void)
{
	static const char *const names[MAX_ACTIONS] = { "x" };
	RrecFsmMachine fake = { .action_names = names };

	for (guint i = 0; i < MAX_GUARDS; i++) {
		Mock mock = { .m = &fake };
		memset (mock.value, -1, sizeof mock.value);
		mock.value[i] = 1;
		g_assert_true (mock_guards[i] (&mock, NULL));
		g_assert_false (mock.asked_unset);
	}
	for (guint i = 0; i < MAX_ACTIONS; i++) {
		const char *n[MAX_ACTIONS] = { NULL };
		Mock mock = { .m = &fake, .trace = g_string_new (NULL) };

		n[i] = "hit";
		fake.action_names = n;
		mock_actions[i] (&mock, NULL);
		g_assert_cmpstr (mock.trace->str, ==, " / hit");
		g_string_free (mock.trace, TRUE);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* no debug lines (unless G_MESSAGES_DEBUG asks): the steps without
	 * a row wanted take the engine's short way */
	g_log_set_debug_enabled (FALSE);
	rrec_fsm_log_settings_changed ();

	g_test_add_func ("/machines/mock-layout", test_mock_layout);
	for (guint i = 0; rrec_machines[i]; i++) {
		const RrecFsmMachine *m = rrec_machines[i];
		/* the count shows in `meson test -v`; the test checks it */
		g_autofree char *p1 = g_strdup_printf ("/machines/%s/exhaustive/%u-pairs",
						       m->name,
						       m->n_states * m->n_events);
		g_autofree char *p2 = g_strdup_printf ("/machines/%s/compiler-listing",
						       m->name);

		g_test_add_data_func (p1, m, test_exhaustive);
		g_test_add_data_func (p2, m, test_compiler_listing);
	}
	return g_test_run ();
}
