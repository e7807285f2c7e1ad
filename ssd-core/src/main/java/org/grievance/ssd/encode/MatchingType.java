package org.grievance.ssd.encode;

/** How ground-truth boxes claim anchors. */
public enum MatchingType {
  /** Bipartite matching, then every other anchor whose best IoU reaches the positive threshold. */
  MULTI,
  /** Bipartite matching only: exactly one anchor per ground-truth box. */
  BIPARTITE
}
