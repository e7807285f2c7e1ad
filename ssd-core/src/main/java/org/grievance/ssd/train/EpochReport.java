package org.grievance.ssd.train;

/**
 * The metrics of one finished epoch: one row of {@code log.csv}. Losses are means over the epoch's
 * images; absent values (no validation, no mAP this epoch, no {@code /proc}) are NaN.
 *
 * @param epoch 1-based
 * @param globalStep optimizer updates applied at the end of the epoch
 * @param learningRate the effective rate of the epoch's last update
 * @param trainLoss SSD loss plus extra term, as optimised
 * @param trainClassLoss the classification part (positives + hard negatives) per positive
 * @param trainLocLoss the localisation part (before {@code alpha}) per positive
 * @param trainExtraLoss the extra term (regularisation)
 * @param valLoss validation loss, extra term included (as Keras reports it)
 * @param valClassLoss validation classification part
 * @param valLocLoss validation localisation part
 * @param valMap mean average precision from an {@link EpochEvaluator}
 * @param imagesPerSecond training throughput of the epoch
 * @param seconds wall time of the epoch (validation and checkpoints included)
 * @param rssMb resident memory of the process at the end of the epoch
 */
public record EpochReport(
    int epoch,
    long globalStep,
    double learningRate,
    double trainLoss,
    double trainClassLoss,
    double trainLocLoss,
    double trainExtraLoss,
    double valLoss,
    double valClassLoss,
    double valLocLoss,
    double valMap,
    double imagesPerSecond,
    double seconds,
    double rssMb) {

  /** This report with a mean average precision. */
  public EpochReport withValMap(double map) {
    return new EpochReport(
        epoch,
        globalStep,
        learningRate,
        trainLoss,
        trainClassLoss,
        trainLocLoss,
        trainExtraLoss,
        valLoss,
        valClassLoss,
        valLocLoss,
        map,
        imagesPerSecond,
        seconds,
        rssMb);
  }
}
