/*
 * test-dispatch.c — the one step function: rows, guard chains, ignore and
 * reject, the log lines, and what it refuses to do.  Driven on the toy table
 * of tests/fsm-good/toy.fsm.
 */
#include <string.h>

#include "rrec-fsm.h"
#include "toy-fsm.h"

typedef struct {
	gboolean powered;
	GString *trace;
	guint guard_calls;
} Lamp;

static gboolean
guard_powered (gpointer owner, gconstpointer data)
{
	Lamp *l = owner;

	l->guard_calls++;
	return l->powered;
}

static void
record (Lamp *l, const char *what)
{
	g_string_append_printf (l->trace, "%s%s", l->trace->len ? "," : "", what);
}

static void act_light (gpointer o, gconstpointer d) { record (o, "light"); }
static void act_dark (gpointer o, gconstpointer d) { record (o, "dark"); }
static void act_note (gpointer o, gconstpointer d) { record (o, "note"); }
static const char *label (gpointer o) { return "lamp-1"; }

static const RrecFsmGuardFunc guards[RREC_TOY_N_GUARDS] = {
	[RREC_TOY_GUARD_POWERED] = guard_powered,
};
static const RrecFsmActionFunc actions[RREC_TOY_N_ACTIONS] = {
	[RREC_TOY_ACTION_LIGHT] = act_light,
	[RREC_TOY_ACTION_DARK] = act_dark,
	[RREC_TOY_ACTION_NOTE] = act_note,
};
static const RrecFsmBinding binding = {
	&rrec_toy_machine, guards, actions, label,
};

/* A binding that also hears the rule of each action. */
static void
tell_rule (gpointer o, const char *rule)
{
	record (o, rule ? rule : "-");
}

static const RrecFsmBinding ruled = {
	&rrec_toy_machine, guards, actions, label, tell_rule,
};

/* ---- captured log lines ---------------------------------------------- */

static GPtrArray *logged;

static GLogWriterOutput
capture (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer u)
{
	const char *domain = NULL, *message = NULL;

	for (gsize i = 0; i < n; i++) {
		if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
		else if (strcmp (fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if (g_strcmp0 (domain, "rrec") == 0 && message)
		g_ptr_array_add (logged, g_strdup_printf ("%s %s",
			level & G_LOG_LEVEL_DEBUG ? "debug" :
			level & G_LOG_LEVEL_INFO ? "info" : "other", message));
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
		return g_log_writer_default (level, fields, n, u);
	return G_LOG_WRITER_HANDLED;
}

static const char *
last_log (void)
{
	return logged->len ? g_ptr_array_index (logged, logged->len - 1) : "";
}

static Lamp
lamp_new (gboolean powered)
{
	Lamp l = { powered, g_string_new (NULL), 0 };

	g_ptr_array_set_size (logged, 0);
	return l;
}

/* ---- tests ----------------------------------------------------------- */

static void
test_go_row (void)
{
	Lamp l = lamp_new (TRUE);
	guint state = RREC_TOY_STATE_ON;
	const RrecFsmRow *row = NULL;

	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_BLINK,
					&l, NULL, &row), ==, RREC_FSM_MOVED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_BLINKING);
	/* actions run in the order of the row */
	g_assert_cmpstr (l.trace->str, ==, "light,note");
	g_assert_nonnull (row);
	g_assert_cmpuint (row->line, ==, 20);
	g_assert_cmpstr (last_log (), ==,
			 "debug toy[lamp-1]: on --BLINK--> blinking "
			 "(tests/fsm-good/toy.fsm:20)");
	g_string_free (l.trace, TRUE);
}

static void
test_guard_chain (void)
{
	Lamp on = lamp_new (TRUE), off = lamp_new (FALSE);
	guint s1 = RREC_TOY_STATE_OFF, s2 = RREC_TOY_STATE_OFF;

	g_assert_cmpint (rrec_fsm_step (&binding, &s1, RREC_TOY_EVENT_FLIP,
					&on, NULL, NULL), ==, RREC_FSM_MOVED);
	g_assert_cmpuint (s1, ==, RREC_TOY_STATE_ON);
	g_assert_cmpstr (on.trace->str, ==, "light");
	g_assert_cmpuint (on.guard_calls, ==, 1);

	/* the first row's guard fails: the unguarded second row applies */
	g_assert_cmpint (rrec_fsm_step (&binding, &s2, RREC_TOY_EVENT_FLIP,
					&off, NULL, NULL), ==, RREC_FSM_MOVED);
	g_assert_cmpuint (s2, ==, RREC_TOY_STATE_OFF);
	g_assert_cmpstr (off.trace->str, ==, "note");
	/* the compiled cell asks each guard once, though both rows name it */
	g_assert_cmpuint (off.guard_calls, ==, 1);
	g_string_free (on.trace, TRUE);
	g_string_free (off.trace, TRUE);
}

static void
test_negated_guard_ignore (void)
{
	Lamp l = lamp_new (FALSE);
	guint state = RREC_TOY_STATE_ON;

	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_BLINK,
					&l, NULL, NULL), ==, RREC_FSM_IGNORED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_ON);
	g_assert_cmpstr (l.trace->str, ==, "");
	g_assert_cmpstr (last_log (), ==,
			 "debug toy[lamp-1]: on --BLINK--> ignored "
			 "(tests/fsm-good/toy.fsm:19)");
	g_string_free (l.trace, TRUE);
}

static void
test_reject_keeps_state (void)
{
	Lamp l = lamp_new (TRUE);
	guint state = RREC_TOY_STATE_OFF;

	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_BLINK,
					&l, NULL, NULL), ==, RREC_FSM_REJECTED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_OFF);
	g_assert_cmpstr (l.trace->str, ==, "");
	g_assert_cmpstr (last_log (), ==,
			 "info toy[lamp-1]: event BLINK rejected in state off "
			 "(tests/fsm-good/toy.fsm:24)");
	g_string_free (l.trace, TRUE);
}

/* The compiler never emits a pair without a row for every case, but the
 * dispatcher must still survive a table that has one. */
static void
test_unmatched_keeps_state (void)
{
	static const char *const states[] = { "only" };
	static const char *const events[] = { "POKE" };
	static const char *const guard_names[] = { "powered" };
	static const guint8 final[] = { 1 };
	static const guint16 lits[] = { 0 << 1 | 0 };
	static const guint16 acts[] = { RREC_TOY_ACTION_LIGHT };
	static const RrecFsmRow rows[] = { { 0, 1, RREC_FSM_ROW_GO, 0, 0, 1, 7 } };
	static const RrecFsmCell cells[] = { { 0, 1 } };
	static const RrecFsmMachine partial = {
		.name = "partial", .source = "hand-made", .n_states = 1,
		.n_events = 1, .n_guards = 1, .n_actions = RREC_TOY_N_ACTIONS,
		.final = final, .state_names = states, .event_names = events,
		.guard_names = guard_names, .action_names = NULL,
		.cells = cells, .rows = rows, .lits = lits, .action_lists = acts,
	};
	RrecFsmBinding b = { &partial, guards, actions, label };
	Lamp l = lamp_new (FALSE);
	guint state = 0;

	/* "no row matched" is a critical log: fatal in a test, so the step
	 * runs in a child that lets it through, and the parent reads it */
	if (!g_test_subprocess ()) {
		g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
		g_test_trap_assert_passed ();
		g_test_trap_assert_stderr ("*CRITICAL*partial[lamp-1]: no row matched "
					   "event POKE in state only: no guard held*");
		g_string_free (l.trace, TRUE);
		return;
	}
	g_log_set_always_fatal (G_LOG_FATAL_MASK);
	g_assert_cmpint (rrec_fsm_step (&b, &state, 0, &l, NULL, NULL), ==,
			 RREC_FSM_UNMATCHED);
	g_assert_cmpuint (state, ==, 0);
	g_assert_cmpstr (l.trace->str, ==, "");
	l.powered = TRUE;
	g_assert_cmpint (rrec_fsm_step (&b, &state, 0, &l, NULL, NULL), ==,
			 RREC_FSM_MOVED);
	g_assert_cmpstr (l.trace->str, ==, "light");
	g_string_free (l.trace, TRUE);
}

/* A suite that meets "no row matched" stops there. */
static void
test_unmatched_aborts (void)
{
	static const char *const states[] = { "only" };
	static const char *const events[] = { "POKE" };
	static const guint8 final[] = { 1 };
	static const guint16 lits[] = { 0 << 1 | 0 };
	static const guint16 acts[] = { RREC_TOY_ACTION_LIGHT };
	static const RrecFsmRow rows[] = { { 0, 1, RREC_FSM_ROW_GO, 0, 0, 1, 7 } };
	static const RrecFsmCell cells[] = { { 0, 1 } };
	static const RrecFsmMachine partial = {
		.name = "partial", .source = "hand-made", .n_states = 1,
		.n_events = 1, .n_guards = 1, .n_actions = RREC_TOY_N_ACTIONS,
		.final = final, .state_names = states, .event_names = events,
		.cells = cells, .rows = rows, .lits = lits, .action_lists = acts,
	};
	RrecFsmBinding b = { &partial, guards, actions, label };

	if (g_test_subprocess ()) {
		Lamp l = lamp_new (FALSE);
		guint state = 0;

		rrec_fsm_step (&b, &state, 0, &l, NULL, NULL);
		g_string_free (l.trace, TRUE);
		return;		/* not reached: the critical is fatal */
	}
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed ();
	g_test_trap_assert_stderr ("*no row matched*");
}

/* "broken *" names the state: it beats "* BLINK" and "* BREAK". */
static void
test_wildcard_precedence (void)
{
	Lamp l = lamp_new (TRUE);
	guint state = RREC_TOY_STATE_ON;

	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_BREAK,
					&l, NULL, NULL), ==, RREC_FSM_MOVED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_BROKEN);
	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_BLINK,
					&l, NULL, NULL), ==, RREC_FSM_IGNORED);
	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_REMOVE,
					&l, NULL, NULL), ==, RREC_FSM_IGNORED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_BROKEN);
	/* but "* REMOVE" applies where no row names the state */
	state = RREC_TOY_STATE_ON;
	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_EVENT_REMOVE,
					&l, NULL, NULL), ==, RREC_FSM_MOVED);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_GONE);
	g_assert_cmpstr (l.trace->str, ==, "dark");
	g_string_free (l.trace, TRUE);
}

static void
test_out_of_range (void)
{
	Lamp l = lamp_new (TRUE);
	guint state = RREC_TOY_STATE_ON;
	guint bad_state = RREC_TOY_N_STATES;

	if (!g_test_subprocess ()) {
		g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
		g_test_trap_assert_passed ();
		g_test_trap_assert_stderr ("*CRITICAL*toy[lamp-1]: event 4 in state 1 "
					   "is out of range*");
		g_string_free (l.trace, TRUE);
		return;
	}
	g_log_set_always_fatal (G_LOG_FATAL_MASK);

	g_assert_cmpint (rrec_fsm_step (&binding, &state, RREC_TOY_N_EVENTS,
					&l, NULL, NULL), ==, RREC_FSM_INVALID);
	g_assert_cmpuint (state, ==, RREC_TOY_STATE_ON);
	g_assert_cmpint (rrec_fsm_step (&binding, &bad_state,
					RREC_TOY_EVENT_FLIP, &l, NULL, NULL),
			 ==, RREC_FSM_INVALID);
	g_assert_cmpuint (bad_state, ==, RREC_TOY_N_STATES);
	g_assert_cmpstr (l.trace->str, ==, "");
	g_string_free (l.trace, TRUE);
}

static void
test_binding_complete (void)
{
	RrecFsmActionFunc partial[RREC_TOY_N_ACTIONS] = {
		[RREC_TOY_ACTION_LIGHT] = act_light,
	};
	RrecFsmBinding b = { &rrec_toy_machine, guards, partial, NULL };

	g_assert_true (rrec_fsm_binding_is_complete (&binding));
	g_assert_false (rrec_fsm_binding_is_complete (&b));
}

static void
test_names (void)
{
	const RrecFsmMachine *m = &rrec_toy_machine;

	g_assert_cmpstr (m->name, ==, "toy");
	g_assert_cmpuint (m->initial, ==, RREC_TOY_STATE_OFF);
	g_assert_true (m->final[RREC_TOY_STATE_GONE]);
	g_assert_false (m->final[RREC_TOY_STATE_BROKEN]);
	g_assert_cmpstr (rrec_fsm_state_name (m, RREC_TOY_STATE_BLINKING), ==,
			 "blinking");
	g_assert_cmpstr (rrec_fsm_event_name (m, RREC_TOY_EVENT_REMOVE), ==,
			 "REMOVE");
	g_assert_cmpstr (rrec_fsm_state_name (m, 99), ==, "(invalid)");
	g_assert_cmpstr (rrec_fsm_result_to_string (RREC_FSM_UNMATCHED), ==,
			 "unmatched");
}

/* Each action is told its rule before it runs: the action's own (note
 * serves R3 wherever it runs), else the row's leading rule; then NULL. */
static void
test_rules (void)
{
	Lamp l = lamp_new (TRUE);
	guint state = RREC_TOY_STATE_ON;
	const RrecFsmRow *row = NULL;

	g_assert_cmpint (rrec_fsm_step (&ruled, &state, RREC_TOY_EVENT_BLINK,
					&l, NULL, &row), ==, RREC_FSM_MOVED);
	g_assert_cmpstr (l.trace->str, ==, "R2,light,R3,note,-");
	g_assert_cmpuint (row->n_rules, ==, 2);
	g_assert_cmpstr (rrec_toy_machine.rule_names[rrec_toy_machine.row_rules[row->first_rule]],
			 ==, "R2");
	g_assert_cmpstr (rrec_toy_machine.rule_names[rrec_toy_machine.row_rules[row->first_rule + 1]],
			 ==, "R1");
	g_string_free (l.trace, TRUE);

	/* a row without actions tells nothing */
	l = lamp_new (FALSE);
	state = RREC_TOY_STATE_BLINKING;
	g_assert_cmpint (rrec_fsm_step (&ruled, &state, RREC_TOY_EVENT_REMOVE,
					&l, NULL, &row), ==, RREC_FSM_MOVED);
	g_assert_cmpstr (l.trace->str, ==, "");
	g_assert_cmpuint (row->n_rules, ==, 0);
	g_string_free (l.trace, TRUE);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	logged = g_ptr_array_new_with_free_func (g_free);
	g_log_set_writer_func (capture, NULL, NULL);
	g_log_set_debug_enabled (TRUE);

	g_test_add_func ("/dispatch/go-row", test_go_row);
	g_test_add_func ("/dispatch/guard-chain", test_guard_chain);
	g_test_add_func ("/dispatch/negated-guard-ignore", test_negated_guard_ignore);
	g_test_add_func ("/dispatch/reject-keeps-state", test_reject_keeps_state);
	g_test_add_func ("/dispatch/unmatched-keeps-state", test_unmatched_keeps_state);
	g_test_add_func ("/dispatch/unmatched-aborts", test_unmatched_aborts);
	g_test_add_func ("/dispatch/wildcard-precedence", test_wildcard_precedence);
	g_test_add_func ("/dispatch/out-of-range", test_out_of_range);
	g_test_add_func ("/dispatch/binding-complete", test_binding_complete);
	g_test_add_func ("/dispatch/names", test_names);
	g_test_add_func ("/dispatch/rules", test_rules);

	int ret = g_test_run ();
	g_ptr_array_unref (logged);
	return ret;
}
