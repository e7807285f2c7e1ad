package org.grievance.ssd.register.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an export wrote.
 *
 * @param out the dataset folder
 * @param format its layout
 * @param classes its class list (class ids 1..C in this order)
 * @param photosPerSplit photos written per split (all three splits, zero where none)
 * @param boxesPerClass boxes written per class, in class-list order
 * @param leftOutPerClass boxes left out because their class is not in the class list
 */
public record ExportSummary(
    Path out,
    ExportFormat format,
    List<String> classes,
    Map<Split, Integer> photosPerSplit,
    Map<String, Integer> boxesPerClass,
    Map<String, Integer> leftOutPerClass) {
  public ExportSummary {
    classes = List.copyOf(classes);
    photosPerSplit = Map.copyOf(photosPerSplit);
    boxesPerClass = Map.copyOf(boxesPerClass);
    leftOutPerClass = Map.copyOf(leftOutPerClass);
  }

  /** Photos written, all splits together. */
  public int photos() {
    return photosPerSplit.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The summary a person reads: photos per split, boxes per class, what was left out. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "%d reviewed photos: train %d, val %d, test %d (%s, %s)",
            photos(),
            photosPerSplit.getOrDefault(Split.TRAIN, 0),
            photosPerSplit.getOrDefault(Split.VAL, 0),
            photosPerSplit.getOrDefault(Split.TEST, 0),
            format.word(),
            this.out));
    for (String c : classes) {
      out.add(String.format(Locale.ROOT, "  %-16s %6d boxes", c, boxesPerClass.getOrDefault(c, 0)));
    }
    leftOutPerClass.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.add(
                    String.format(
                        Locale.ROOT,
                        "  left out: %d boxes of class '%s' (not in the class list)",
                        e.getValue(),
                        e.getKey())));
    return out;
  }
}
