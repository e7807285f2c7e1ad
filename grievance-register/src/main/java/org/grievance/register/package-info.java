/** Detection service and grievance register; filled by the service issue. */
package org.grievance.register;
