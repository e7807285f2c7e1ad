package org.grievance.ssd.register.workflow;

/**
 * A change or a lookup the register refuses. It says what kind of refusal it is, not how a protocol
 * spells it: the HTTP layer maps each {@link Kind} to a status code.
 */
public final class RegisterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the register refuses. */
  public enum Kind {
    /** The request itself is malformed or names something that cannot exist. */
    INVALID,
    /** A grievance it names does not exist. */
    NOT_FOUND,
    /**
     * The request is well-formed but the grievance's current state does not allow it, or a
     * concurrent change kept it from completing.
     */
    CONFLICT,
    /** The grievance changed since the client read the version its change is based on. */
    STALE
  }

  private final Kind kind;

  private RegisterException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static RegisterException invalid(String message) {
    return new RegisterException(Kind.INVALID, message);
  }

  public static RegisterException notFound(String message) {
    return new RegisterException(Kind.NOT_FOUND, message);
  }

  public static RegisterException conflict(String message) {
    return new RegisterException(Kind.CONFLICT, message);
  }

  public static RegisterException stale(String message) {
    return new RegisterException(Kind.STALE, message);
  }
}
