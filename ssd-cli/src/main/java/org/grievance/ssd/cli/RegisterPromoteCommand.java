package org.grievance.ssd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.export.TestSplitQualityGate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd register promote --model NEW}: makes a model the one every server of the register
 * serves, unless it is incompatible with (or worse than) the served one.
 */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a model the register's served version: stores it in DATA/photos (shared by every"
          + " replica), records a new version, and running servers switch to it within their"
          + " --model-poll-seconds (2 s by default) plus the time to load it. Refuses a model"
          + " whose classes differ from the served one's, or one worse than it on the register's"
          + " test split (as 'ssd register evaluate' compares them), unless --force. Use the same --db/--data as 'ssd serve'."
    })
final class RegisterPromoteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The model to promote: a run, checkpoint or model directory.")
  Path model;

  @Option(
      names = "--force",
      description = "Promote even a model with other classes, or one found worse.")
  boolean force;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who promotes, for the audit trail (default: the system user name).")
  String actor;

  @Option(
      names = "--tolerance",
      defaultValue = "0.01",
      description =
          "Mean VOC07 AP on the test split the new model may lose before it counts as worse"
              + " (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Mixin PhotoOptions photoOptions;

  @Override
  public Integer call() throws Exception {
    RegisterConfig config = database.config();
    String who = actor != null ? actor : System.getProperty("user.name", "operator");
    try (Database db = database.open();
        PhotoStore photos = database.openPhotos(photoOptions)) {
      ModelPromotion promotion = new ModelPromotion(db, photos, config.modelsDir());
      ModelPromotion.QualityGate gate =
          new TestSplitQualityGate(db, photos, config.scratchDir(), tolerance, 0);
      ModelPromotion.Outcome o = promotion.promote(model, who, force, gate);
      if (o.result() == ModelPromotion.Result.REFUSED) {
        spec.commandLine().getErr().println(o.message());
        spec.commandLine().getErr().flush();
        return 1;
      }
      var out = spec.commandLine().getOut();
      out.println(o.message());
      if (o.result() == ModelPromotion.Result.PROMOTED) {
        out.println(
            "running servers switch to "
                + o.version().label()
                + " within their poll interval (--model-poll-seconds, 2 s by default) plus the"
                + " time to load it; 'ssd register retag' re-tags older grievances with it.");
      }
      out.flush();
    }
    return 0;
  }
}
