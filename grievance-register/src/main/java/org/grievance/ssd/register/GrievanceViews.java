package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.register.api.Grievance;
import org.grievance.ssd.register.api.Page;
import org.grievance.ssd.register.api.Summary;
import org.grievance.ssd.register.store.ListQuery;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.store.SummaryPage;
import org.grievance.ssd.register.store.SummaryRow;

/**
 * Turns stored grievances into what the API shows: with their links, the stored detections as JSON,
 * and the contact only for officials.
 */
final class GrievanceViews {
  private GrievanceViews() {}

  static Grievance grievance(StoredGrievance g, boolean forOfficial) {
    JsonNode detections;
    try {
      detections = ApiJson.MAPPER.readTree(g.detectionsJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("grievance " + g.id() + " has malformed detections JSON", e);
    }
    return new Grievance(
        g.id(),
        g.createdAt(),
        g.updatedAt(),
        g.status(),
        g.description(),
        g.latitude(),
        g.longitude(),
        forOfficial ? g.contact() : null,
        g.categories(),
        g.imageWidth(),
        g.imageHeight(),
        g.model(),
        detections,
        g.mergedInto(),
        g.reports(),
        g.possibleDuplicates(),
        g.history(),
        GrievanceLinks.of(g.id()));
  }

  static Page page(SummaryPage p, ListQuery q, boolean forOfficial) {
    List<Summary> items = new ArrayList<>();
    for (SummaryRow s : p.rows()) {
      items.add(
          new Summary(
              s.id(),
              s.createdAt(),
              s.status(),
              s.description(),
              s.latitude(),
              s.longitude(),
              forOfficial ? s.contact() : null,
              s.categories(),
              s.mergedInto(),
              s.reports(),
              GrievanceLinks.of(s.id())));
    }
    return new Page(items, q.page(), q.size(), p.total());
  }
}
