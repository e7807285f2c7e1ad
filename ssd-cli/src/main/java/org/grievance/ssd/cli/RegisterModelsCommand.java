package org.grievance.ssd.cli;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.ModelVersions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ssd register models}: the promoted model versions and the models' audit trail. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the promoted model versions (the last is served) and the models' audit trail"
          + " (promotions, refusals, re-tagging runs)."
    })
final class RegisterModelsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    try (Database db = database.open()) {
      ModelVersions versions = new ModelVersions(db);
      var list = versions.list();
      if (list.isEmpty()) {
        out.println("(no model versions yet: 'ssd serve' records its --model as v1)");
      }
      for (ModelVersions.ModelVersion v : list) {
        out.printf(
            "%-5s %s  %s  by %s%s  %s  %s%n",
            v.label(),
            v.promotedAt().truncatedTo(ChronoUnit.SECONDS),
            v.modelName(),
            v.promotedBy(),
            v.forced() ? " (forced)" : "",
            v.classes(),
            v.archiveSha256().substring(0, 12));
      }
      out.println();
      out.println("audit trail:");
      for (ModelVersions.ModelEvent e : versions.events()) {
        out.printf(
            "%s  %-17s %-5s %s: %s%n",
            e.at().truncatedTo(ChronoUnit.SECONDS),
            e.event(),
            e.versionId() == null ? "-" : ModelVersions.ModelVersion.label(e.versionId()),
            e.actor(),
            e.detail());
      }
      out.flush();
    }
    return 0;
  }
}
