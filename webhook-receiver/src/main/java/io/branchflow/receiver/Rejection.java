package io.branchflow.receiver;

/**
 * A delivery refused before anything changed, with the status GitHub shows in its delivery log and
 * a reason for the person reading it. The reason never quotes the body or a secret.
 */
public final class Rejection extends RuntimeException {

  private final int status;

  public Rejection(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
