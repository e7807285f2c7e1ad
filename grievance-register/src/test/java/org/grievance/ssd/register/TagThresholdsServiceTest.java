package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service tags with the model's per-class thresholds unless it is given a tag threshold. */
class TagThresholdsServiceTest {
  @TempDir Path tmp;

  /**
   * The test model (global confidence 0, so it reports every box) with per-class thresholds that
   * let every pothole through and no graffiti.
   */
  private Path calibratedModel() throws Exception {
    Path run = TestModels.create(tmp.resolve("run"));
    ModelDirectory dir = ModelDirectory.open(run);
    ModelDescription d = dir.description();
    dir.rewriteDescription(d.withClassThresholds(Map.of("pothole", 0.0, "graffiti", 1.0), null));
    return run;
  }

  private JsonNode detect(Path model, Double tagThreshold, String name) throws Exception {
    RegisterConfig config =
        RegisterConfig.builder(model)
            .host("127.0.0.1")
            .port(0)
            .dataDir(tmp.resolve(name))
            .tagThreshold(tagThreshold)
            .workers(1)
            .detectTimeout(Duration.ofSeconds(60))
            .build();
    try (RegisterServer server = RegisterServer.start(config)) {
      Http http = new Http(server.port());
      JsonNode info = http.get("/api/model").json();
      assertThat(info.at("/decoder/classThresholds/graffiti").asDouble()).isEqualTo(1.0);
      Http.Response r = http.postRaw("/api/detect", TestModels.jpeg(120, 160, 3), "image/jpeg");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      return r.json();
    }
  }

  @Test
  void theModelsPerClassThresholdsDecideDetectionsAndTags() throws Exception {
    JsonNode answer = detect(calibratedModel(), null, "model-thresholds");
    assertThat(answer.get("detections")).isNotEmpty();
    for (JsonNode d : answer.get("detections")) {
      assertThat(d.get("class").asText()).isEqualTo("pothole");
    }
    assertThat(answer.get("tags").toString()).isEqualTo("[\"pothole\"]");
  }

  @Test
  void aGivenTagThresholdReplacesThemForTagging() throws Exception {
    JsonNode answer = detect(calibratedModel(), 1.0, "explicit");
    assertThat(answer.get("detections")).isNotEmpty(); // the detector still reports potholes
    assertThat(answer.get("tags").toString()).isEqualTo("[\"untagged\"]");
  }
}
