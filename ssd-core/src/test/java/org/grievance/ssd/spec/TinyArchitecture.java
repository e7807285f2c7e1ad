package org.grievance.ssd.spec;

/**
 * {@link TinyBase} as an architecture named {@code tiny-test}, registered through {@code
 * META-INF/services/org.grievance.ssd.spec.SsdModels$Architecture} in the test resources: how a jar
 * on the class path adds a backbone.
 */
public final class TinyArchitecture extends BaseNetworkArchitecture {
  public static final String NAME = "tiny-test";

  public TinyArchitecture() {
    super(NAME, TinyBase::new);
  }
}
