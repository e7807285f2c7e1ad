package org.grievance.ssd.register.store;

import java.util.List;

/** One page of a list, newest first, and how many grievances match in all. */
public record SummaryPage(List<SummaryRow> rows, long total) {}
