package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheDocumentedKeys() throws Exception {
    Path json = tmp.resolve("bench.json");
    CliRunner.Result r =
        CliRunner.run(
            "bench",
            "--image-size",
            "128x160",
            "--iters",
            "2",
            "--train-steps",
            "1",
            "--threads",
            "1",
            "--json",
            json.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(json.toFile());
    for (String key :
        new String[] {
          "forward_b1_ms",
          "forward_b8_ms",
          "end_to_end_b1_ms",
          "train_img_per_s",
          "loader_img_per_s",
          "loader_to_train_ratio"
        }) {
      assertThat(n.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(n.get("loader_to_train_ratio").asDouble())
        .isCloseTo(
            n.get("loader_img_per_s").asDouble() / n.get("train_img_per_s").asDouble(),
            org.assertj.core.api.Assertions.within(1e-9));
    assertThat(r.out()).contains("train_img_per_s").contains("loader_img_per_s");
  }

  @Test
  void benchesAnyRegisteredModelAndCountsItsOperations() throws Exception {
    Path json = tmp.resolve("mobilenet.json");
    CliRunner.Result r =
        CliRunner.run(
            "bench",
            "--model",
            "mobilenetv2-ssdlite-0.5",
            "--image-size",
            "96x128",
            "--iters",
            "1",
            "--train-steps",
            "0",
            "--threads",
            "1",
            "--json",
            json.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(json.toFile());
    assertThat(n.get("model").asText()).isEqualTo("mobilenetv2-ssdlite-0.5");
    assertThat(n.get("params").asLong()).isGreaterThan(1_000_000);
    assertThat(n.get("macs").asLong()).isPositive();
    assertThat(n.get("flops").asLong()).isEqualTo(2 * n.get("macs").asLong());
    assertThat(n.get("forward_b1_ms").asDouble()).isPositive();
    assertThat(n.has("train_img_per_s")).isFalse();
    assertThat(r.out()).contains("mobilenetv2-ssdlite-0.5 96x128").contains("GMACs");
  }
}
