package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the model a new one is compared with comes from when none is named: the register's served
 * model version ({@code ssd register evaluate} reads it from the register's model versions, see
 * docs/model-promotion.md), or {@link #NONE} where no register is at hand.
 */
@FunctionalInterface
public interface BaselineModel {
  /** No served model is known: the caller must name the baseline. */
  BaselineModel NONE = () -> Optional.empty();

  /** The served model's directory, if known. */
  Optional<Path> servedModel() throws IOException;
}
