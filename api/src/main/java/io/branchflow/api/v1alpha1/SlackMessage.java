package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The one Slack message kept per environment. */
public class SlackMessage {

  @JsonPropertyDescription("Channel ID the message was posted to.")
  private String channel;

  @JsonPropertyDescription(
      "Timestamp ID of the message, used to update it and reply in its thread.")
  private String ts;

  @JsonPropertyDescription(
      "The removal time (RFC 3339) the last expiry warning in the message's thread announced; the"
          + " same warning is never posted twice.")
  private String expiryWarning;

  @JsonPropertyDescription(
      "Why the last update to Slack did not go through (e.g. invalid_auth); empty when it did.")
  private String message;

  @JsonPropertyDescription(
      "Fingerprint of the DAG import errors last replied in the message's thread; empty when none are shown.")
  private String dagErrors;

  public String getChannel() {
    return channel;
  }

  public void setChannel(String channel) {
    this.channel = channel;
  }

  public String getTs() {
    return ts;
  }

  public void setTs(String ts) {
    this.ts = ts;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getExpiryWarning() {
    return expiryWarning;
  }

  public void setExpiryWarning(String expiryWarning) {
    this.expiryWarning = expiryWarning;
  }

  public String getDagErrors() {
    return dagErrors;
  }

  public void setDagErrors(String dagErrors) {
    this.dagErrors = dagErrors;
  }
}
