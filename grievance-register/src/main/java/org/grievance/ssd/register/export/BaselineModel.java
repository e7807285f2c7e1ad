package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the model a new one is compared with comes from when none is named: the register's served
 * model. The register does not record which model it serves yet, so {@link #NONE} is the only
 * source and the baseline must be named; a model registry plugs in here.
 */
@FunctionalInterface
public interface BaselineModel {
  /** No served model is known: the caller must name the baseline. */
  BaselineModel NONE = () -> Optional.empty();

  /** The served model's directory, if known. */
  Optional<Path> servedModel() throws IOException;
}
