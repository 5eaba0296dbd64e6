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

  @JsonPropertyDescription(
      "End date (RFC 3339) of the newest failed task instance replied in the message's thread;"
          + " failures up to it are never replied again.")
  private String taskFailuresUntil;

  @JsonPropertyDescription(
      "status.taskFailures.count when the last task failure reply was posted: how many of the"
          + " failures since are new.")
  private Integer taskFailuresCount;

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

  public String getTaskFailuresUntil() {
    return taskFailuresUntil;
  }

  public void setTaskFailuresUntil(String taskFailuresUntil) {
    this.taskFailuresUntil = taskFailuresUntil;
  }

  public Integer getTaskFailuresCount() {
    return taskFailuresCount;
  }

  public void setTaskFailuresCount(Integer taskFailuresCount) {
    this.taskFailuresCount = taskFailuresCount;
  }
}
