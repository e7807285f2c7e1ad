package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.register.PhotoLocation;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.RegisterServer;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The options for running replicas: where photos go, and a load test spread over several URLs. */
class ReplicaOptionsTest {
  @TempDir Path tmp;

  @Test
  void photosOptionsBecomeTheConfiguration() {
    RegisterConfig folder = CommandLine.populateCommand(new ServeCommand(), "--data", "d").config();
    assertThat(folder.effectivePhotos()).isEqualTo(new PhotoLocation.Folder(Path.of("d/photos")));
    assertThat(
            CommandLine.populateCommand(new ServeCommand(), "--photos", "/srv/photos")
                .config()
                .effectivePhotos())
        .isEqualTo(new PhotoLocation.Folder(Path.of("/srv/photos")));
    RegisterConfig s3 =
        CommandLine.populateCommand(
                new ServeCommand(),
                "--photos",
                "s3://register-photos/city",
                "--s3-endpoint",
                "http://127.0.0.1:9000")
            .config();
    assertThat(s3.effectivePhotos())
        .isEqualTo(
            new PhotoLocation.S3(
                "register-photos",
                "city/",
                URI.create("http://127.0.0.1:9000"),
                "us-east-1",
                true));
    ServeCommand aws = new ServeCommand();
    aws.photoOptions.environment = name -> "AWS_REGION".equals(name) ? "eu-west-3" : null;
    new CommandLine(aws).parseArgs("--photos", "s3://register-photos");
    assertThat(aws.config().effectivePhotos())
        .as("AWS itself: virtual-hosted addressing, the environment's region")
        .isEqualTo(new PhotoLocation.S3("register-photos", "", null, "eu-west-3", false));
  }

  @Test
  void inconsistentPhotosOptionsAreRefusedNamingTheOption() {
    for (String[] args :
        List.of(
            new String[] {"--s3-endpoint", "http://127.0.0.1:9000"},
            new String[] {"--photos", "dir", "--s3-endpoint", "http://127.0.0.1:9000"},
            new String[] {"--photos", "s3://Bad_Bucket/x"},
            new String[] {"--photos", "s3://bucket", "--s3-endpoint", "ftp://host"})) {
      ServeCommand cmd = new ServeCommand();
      new CommandLine(cmd).parseArgs(args);
      assertThatThrownBy(cmd::config)
          .as(String.join(" ", args))
          .isInstanceOf(ParameterException.class)
          .hasMessageContaining("--");
    }
  }

  @Test
  void serveWithAMissingBucketStopsWithOneClearLine() {
    String url = System.getenv("REGISTER_TEST_S3_URL");
    assumeTrue(url != null && !url.isBlank(), "REGISTER_TEST_S3_URL is not set: skipped");
    URI u = URI.create(url);
    String endpoint = u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
    System.setProperty("aws.accessKeyId", u.getUserInfo().split(":", 2)[0]);
    System.setProperty("aws.secretAccessKey", u.getUserInfo().split(":", 2)[1]);
    CliRunner.Result r =
        CliRunner.run(
            "serve",
            "--model",
            tmp.resolve("no-model").toString(),
            "--data",
            tmp.resolve("data").toString(),
            "--port",
            "0",
            "--photos",
            "s3://no-such-bucket-anywhere/photos",
            "--s3-endpoint",
            endpoint);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .as("checked before the model is loaded; one line, no stack trace")
        .startsWith("error: photo store: bucket 'no-such-bucket-anywhere' at " + endpoint)
        .contains("does not exist")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void loadtestSpreadsSubmissionsOverItsUrlsAndSkipsOneThatIsDown() throws Exception {
    Path run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(List.of("pothole")), 3);
    int down;
    try (ServerSocket s = new ServerSocket(0)) {
      down = s.getLocalPort(); // closed again: connections there are refused
    }
    try (RegisterServer server =
        RegisterServer.start(
            RegisterConfig.builder(run)
                .port(0)
                .dataDir(tmp.resolve("data"))
                .workers(1)
                .submitLimit(null)
                .build())) {
      Path acked = tmp.resolve("acknowledged.txt");
      CliRunner.Result r =
          CliRunner.run(
              "loadtest",
              "--url",
              "http://127.0.0.1:" + down,
              "--url",
              "http://127.0.0.1:" + server.port(),
              "--submit",
              "--clients",
              "2",
              "--seconds",
              "2",
              "--acknowledged",
              acked.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains(" 0 errors").containsPattern("\\d+ sent again to another URL");
      List<String> ids = Files.readAllLines(acked);
      assertThat(ids).isNotEmpty();
      assertThat(r.out()).contains("wrote " + ids.size() + " acknowledged tracking ids");
      HttpClient http = HttpClient.newHttpClient();
      for (String id : ids) {
        HttpResponse<Void> g =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/grievances/" + id))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(g.statusCode()).as("acknowledged %s", id).isEqualTo(200);
      }
    }
  }
}
