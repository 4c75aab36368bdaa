/*
 * machines.c — finding a compiled machine by name.
 */
#include <string.h>

#include "rrec-machines.h"

const RrecFsmMachine *
rrec_machine_lookup (const char *name)
{
	for (guint i = 0; rrec_machines[i] != NULL; i++)
		if (strcmp (rrec_machines[i]->name, name) == 0)
			return rrec_machines[i];
	return NULL;
}
