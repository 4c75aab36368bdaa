/*
 * rrec-fsm-format.h — a compiled machine as text: its rows, and a Graphviz
 * diagram.  For `rrec tables` and `rrec graph`: they show what was built,
 * read back from the tables themselves rather than from fsm/.
 */
#pragma once

#include "rrec-fsm.h"

/* One line per row of each (state, event) pair:
 * "state EVENT [guard & !guard] -> next / action, action". */
void rrec_fsm_format_listing (const RrecFsmMachine *m, GString *out);

/* A Graphviz digraph of the moving rows. */
void rrec_fsm_format_dot (const RrecFsmMachine *m, GString *out);
