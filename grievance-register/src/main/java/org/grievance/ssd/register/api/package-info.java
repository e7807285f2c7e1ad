/**
 * The records the register API answers with, as Jackson writes them: components in wire order, null
 * fields left out. Plain data with no behaviour, shared by the store (which fills the parts that
 * are stored) and the HTTP layer (which adds links and decides what a caller may see).
 */
package org.grievance.ssd.register.api;
