/**
 * The register's tables, and nothing else: {@link
 * org.grievance.ssd.register.store.GrievanceRepository} holds every SQL statement and hands back
 * typed rows. It knows no rules (which status may follow which, when grievances are duplicates):
 * the workflow decides and passes it plain values, inside the transaction it opened. Every
 * statement is parameterised, so user text never becomes SQL.
 */
package org.grievance.ssd.register.store;
