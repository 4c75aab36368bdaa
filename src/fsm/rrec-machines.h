/*
 * rrec-machines.h — the list of every machine compiled from fsm/.
 */
#pragma once

#include "rrec-fsm.h"

/* NULL-terminated, in the order of fsm/meson.build. */
extern const RrecFsmMachine *const rrec_machines[];

const RrecFsmMachine *rrec_machine_lookup (const char *name);
