package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DAG files Airflow could not import, from {@code GET /api/v2/importErrors}: how many, and the
 * first {@link #LISTED} with file, line and the error's first line. Parsing is pure: Airflow's
 * answer in, a short summary out.
 *
 * @param total {@code total_entries}: every failing file, also those not listed
 * @param first the first failing files by name
 */
public record ImportErrors(int total, List<ImportError> first) {

  /** How many are kept (and asked for). */
  public static final int LISTED = 10;

  /** Longest message kept: the first line of an error, not its traceback. */
  public static final int MESSAGE_LIMIT = 200;

  /**
   * One failing file.
   *
   * @param file path in the branch, as Airflow names it (relative to the bundle)
   * @param line the line the traceback points at in that file; null when it names none
   * @param message the exception line ({@code NameError: name 'x' is not defined}), at most {@link
   *     #MESSAGE_LIMIT} characters
   */
  public record ImportError(String file, Integer line, String message) {}

  public static final ImportErrors NONE = new ImportErrors(0, List.of());

  /** The query the list is read with: Airflow sorts and limits, we keep what it sends. */
  static final String PATH = "api/v2/importErrors?limit=" + LISTED + "&order_by=filename";

  // `  File "/bundle/dags/x.py", line 3, in <module>` and the SyntaxError form without "in".
  private static final Pattern FRAME = Pattern.compile("^\\s*File \"([^\"]+)\", line (\\d+)");

  public boolean clean() {
    return total == 0;
  }

  /**
   * Airflow's {@code ImportErrorCollectionResponse}; a missing field reads as none. Airflow names
   * files relative to its DAG folder, {@code dagsPath} of the branch; they are reported relative to
   * the branch, as the author knows them.
   */
  static ImportErrors parse(JsonNode answer, String dagsPath) {
    String folder =
        dagsPath == null || dagsPath.isBlank() ? "" : dagsPath.replaceAll("/+$", "") + "/";
    List<ImportError> errors = new ArrayList<>();
    for (JsonNode error : answer.path("import_errors")) {
      if (errors.size() == LISTED) {
        break;
      }
      String file = error.path("filename").asText("");
      ImportError described = describe(file, error.path("stack_trace").asText(""));
      errors.add(new ImportError(folder + file, described.line(), described.message()));
    }
    int total = answer.path("total_entries").asInt(errors.size());
    return new ImportErrors(Math.max(total, errors.size()), List.copyOf(errors));
  }

  /**
   * File, line and message of one error. Airflow stores a traceback ({@code
   * core.dagbag_import_error_tracebacks}, the default) or only {@code Type: message}; a traceback's
   * last frame in the file gives the line, and its exception line (the first unindented line after
   * the frames) the message.
   */
  static ImportError describe(String file, String stackTrace) {
    String[] lines = stackTrace.split("\\R");
    Integer line = null;
    Integer anyLine = null;
    int lastFrame = -1;
    for (int i = 0; i < lines.length; i++) {
      Matcher frame = FRAME.matcher(lines[i]);
      if (frame.find()) {
        lastFrame = i;
        String path = frame.group(1);
        if (!path.startsWith("<")) {
          anyLine = Integer.valueOf(frame.group(2));
        }
        if (!file.isEmpty() && (path.equals(file) || path.endsWith("/" + file))) {
          line = Integer.valueOf(frame.group(2));
        }
      }
    }
    String message = null;
    for (int i = lastFrame + 1; i < lines.length && message == null; i++) {
      String candidate = lines[i];
      boolean frameDetail = lastFrame >= 0 && (candidate.isEmpty() || isIndented(candidate));
      if (!candidate.isBlank() && !frameDetail && !candidate.startsWith("Traceback (")) {
        message = candidate.strip();
      }
    }
    return new ImportError(
        file,
        line != null ? line : anyLine,
        truncate(message == null ? "import failed (Airflow gave no message)" : message));
  }

  private static boolean isIndented(String line) {
    return Character.isWhitespace(line.charAt(0));
  }

  static String truncate(String message) {
    return message.length() <= MESSAGE_LIMIT
        ? message
        : message.substring(0, MESSAGE_LIMIT - 3) + "...";
  }
}
