package org.grievance.ssd.train;

/** Image-weighted means of the step losses of an epoch (training) or of a validation pass. */
final class LossMeter {
  private long images;
  private double total;
  private double classPart;
  private double locPart;
  private double extra;

  void add(StepRunner.StepLoss s) {
    images += s.images();
    total += s.total() * s.images();
    classPart += s.classPart() * s.images();
    locPart += s.locPart() * s.images();
    extra += s.extra() * s.images();
  }

  long images() {
    return images;
  }

  double total() {
    return total / images;
  }

  double classPart() {
    return classPart / images;
  }

  double locPart() {
    return locPart / images;
  }

  double extra() {
    return extra / images;
  }
}
